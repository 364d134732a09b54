using Rhei.Data.Sql.Syntax;

namespace Rhei.Data.Sql;

/// <summary>
/// The walk over the tokens: features, FROM items (tables, table functions, temporal clauses) and calls. Clause
/// boundaries, calls and CTE scopes are read from the shared <see cref="SqlSyntax"/>, not worked out here.
/// </summary>
internal sealed partial class SqlStatementAnalyzer
{
    private void Walk(SqlStatementKind kind)
    {
        var seenFunctions = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < _t.Length; i++)
        {
            SqlWorkLimit.Step();
            var token = _t[i];
            switch (token.Kind)
            {
                case SqlTokenKind.Punctuation:
                    var c = _text[token.Start];
                    if (c == '(')
                    {
                        if (Is(i + 1, "SELECT") || Is(i + 1, "WITH") || Is(i + 1, "FROM") && !_syntax.IsCall(i - 1))
                        {
                            _features |= SqlFeatures.Subquery;
                            if (Is(i + 1, "FROM"))
                            {
                                _features |= SqlFeatures.DuckDbOnlySyntax;
                            }
                        }

                        if (_syntax.IsCall(i - 1))
                        {
                            OnCall(i, seenFunctions);
                        }
                    }
                    else if (c == ',' && _syntax.Clause(i) is SqlClauseKind.From or SqlClauseKind.JoinCondition)
                    {
                        _features |= SqlFeatures.Join;
                        ParseTableRef(i + 1);
                    }

                    break;

                case SqlTokenKind.Identifier when token.Is(_text, "SIMILAR") && Is(i + 1, "TO"):
                    _features |= SqlFeatures.DuckDbOnlySyntax;
                    break;

                case SqlTokenKind.Operator:
                    if (token.Is(_text, "::"))
                    {
                        _features |= SqlFeatures.DuckDbOnlySyntax;
                    }
                    else if (token.Is(_text, "*") && (Is(i + 1, "EXCLUDE") || Is(i + 1, "REPLACE")) && IsPunct(i + 2, '('))
                    {
                        _features |= SqlFeatures.DuckDbOnlySyntax;
                    }

                    break;

                case SqlTokenKind.Keyword:
                    OnKeyword(i, kind);
                    break;
            }
        }
    }

    private void OnKeyword(int i, SqlStatementKind kind)
    {
        var word = _t[i].Text(_text).ToUpperInvariant();
        switch (word)
        {
            case "FROM":
                if (Is(i - 1, "DISTINCT") || (_syntax.Parent(i) >= 0 && _syntax.IsCall(_syntax.Parent(i) - 1)) || (kind == SqlStatementKind.Delete && Is(i - 1, "DELETE")))
                {
                    return;
                }

                if (i == 0 || IsPunct(i - 1, '('))
                {
                    _features |= SqlFeatures.DuckDbOnlySyntax;
                }

                ParseTableRef(i + 1);
                return;
            case "JOIN":
                _features |= SqlFeatures.Join;
                ParseTableRef(i + 1);
                return;
            case "GROUP" when Is(i + 1, "BY"):
                _features |= SqlFeatures.GroupBy;
                if (Is(i + 2, "ALL"))
                {
                    _features |= SqlFeatures.DuckDbOnlySyntax;
                }

                break;
            case "ORDER" when Is(i + 1, "BY"):
                if (_syntax.Parent(i) < 0 || !_syntax.IsCall(_syntax.Parent(i) - 1) && !Is(_syntax.Parent(i) - 1, "OVER"))
                {
                    _features |= SqlFeatures.OrderBy;
                }

                if (Is(i + 2, "ALL"))
                {
                    _features |= SqlFeatures.DuckDbOnlySyntax;
                }

                break;
            case "HAVING":
                _features |= SqlFeatures.Having;
                break;
            case "DISTINCT" when Is(i - 1, "SELECT"):
                _features |= SqlFeatures.Distinct;
                break;
            case "OVER" or "WINDOW":
                _features |= SqlFeatures.Window;
                break;
            case "UNION" or "INTERSECT" or "EXCEPT":
                _features |= SqlFeatures.SetOperation;
                break;
            case "EXISTS":
                _features |= SqlFeatures.Subquery;
                break;
            case "LIMIT":
                _features |= SqlFeatures.Limit;
                break;
            case "QUALIFY" or "PIVOT" or "UNPIVOT":
                _features |= SqlFeatures.DuckDbOnlySyntax;
                break;
        }
    }

    private void OnCall(int open, HashSet<string> seen)
    {
        var name = Lower(open - 1);
        if (seen.Add(name))
        {
            _functions.Add(name);
        }

        var close = _syntax.Match(open);
        var args = _syntax.Items(open).Count;
        var after = close + 1;
        if (close > 0 && Is(after, "FILTER") && IsPunct(after + 1, '(') && _syntax.Match(after + 1) > 0)
        {
            after = _syntax.Match(after + 1) + 1;
        }

        if (close > 0 && Is(after, "OVER"))
        {
            _features |= SqlFeatures.Window;
        }
        else if (SqlFunctionCatalog.IsAggregate(name, args))
        {
            _features |= SqlFeatures.Aggregate;
        }

        if (SqlFunctionCatalog.DuckDbOnlyFunctions.Contains(name)
            || name.StartsWith("list_", StringComparison.Ordinal) || name.StartsWith("struct_", StringComparison.Ordinal)
            || name.StartsWith("array_", StringComparison.Ordinal) || name.StartsWith("map_", StringComparison.Ordinal))
        {
            _features |= SqlFeatures.DuckDbOnlySyntax;
        }
    }

    /// <summary>Parses one FROM item at <paramref name="p"/> and records it.</summary>
    private void ParseTableRef(int p)
    {
        if (IsPunct(p, '('))
        {
            return;
        }

        if (IsKind(p, SqlTokenKind.String))
        {
            // DuckDB reads files named in FROM: FROM 'data.csv'.
            _features |= SqlFeatures.DuckDbOnlySyntax;
            return;
        }

        if (!(IsPlainName(p) || IsKind(p, SqlTokenKind.Keyword) && SqlSyntaxBuilder.IsKeywordFunction(_t[p].Text(_text)) && IsPunct(p + 1, '(')))
        {
            return;
        }

        var first = p;
        string? schema = null;
        var name = _t[p].Unquote(_text);
        p++;
        if (IsPunct(p, '.') && p + 1 < _t.Length && _t[p + 1].IsName)
        {
            schema = name;
            name = _t[p + 1].Unquote(_text);
            p += 2;
        }

        if (IsPunct(p, '('))
        {
            // Table-valued function; its call is recorded by the walk.
            var lower = name.ToLowerInvariant();
            if (!_tableFunctions.Contains(lower))
            {
                _tableFunctions.Add(lower);
            }

            return;
        }

        if (schema is null && _syntax.IsCte(name, first))
        {
            return;
        }

        var nameEnd = p;
        var temporal = ParseTemporal(ref p);
        string? alias = null;
        var aliasToken = -1;
        if (Is(p, "AS") && IsPlainName(p + 1))
        {
            p++;
        }

        if (IsPlainName(p) && !Is(p, "SYSTEM_TIME"))
        {
            alias = _t[p].Unquote(_text);
            aliasToken = p;
            p++;
        }

        temporal ??= ParseTemporal(ref p);
        _tables.Add(new SqlTableReference(schema, name, alias)
        {
            FirstToken = first,
            NameEndToken = nameEnd,
            EndToken = p,
            AliasToken = aliasToken,
            Temporal = temporal,
        });
    }

    private SqlTemporalClause? ParseTemporal(ref int p)
    {
        if (!Is(p, "FOR") || !Is(p + 1, "SYSTEM_TIME"))
        {
            return null;
        }

        var first = p;
        var k = p + 2;
        SqlTemporalClause? clause = null;
        if (Is(k, "AS") && Is(k + 1, "OF"))
        {
            var end = ScanExpr(k + 2, null);
            clause = new SqlTemporalClause(SqlTemporalKind.AsOf, first, end, (k + 2, end), (-1, -1));
            k = end;
        }
        else if (Is(k, "ALL"))
        {
            k++;
            clause = new SqlTemporalClause(SqlTemporalKind.All, first, k, (-1, -1), (-1, -1));
        }
        else if (Is(k, "FROM") || Is(k, "BETWEEN"))
        {
            var isFrom = Is(k, "FROM");
            var separator = isFrom ? "TO" : "AND";
            var aEnd = ScanExpr(k + 1, separator);
            if (Is(aEnd, separator))
            {
                var bEnd = ScanExpr(aEnd + 1, null);
                clause = new SqlTemporalClause(isFrom ? SqlTemporalKind.FromTo : SqlTemporalKind.Between, first, bEnd, (k + 1, aEnd), (aEnd + 1, bEnd));
                k = bEnd;
            }
        }
        else if (Is(k, "CONTAINED") && Is(k + 1, "IN") && IsPunct(k + 2, '(') && _syntax.Match(k + 2) > 0)
        {
            var open = k + 2;
            var close = _syntax.Match(open);
            var comma = _syntax.NextItem(open) is var item && item < close ? item : -1;
            if (comma > 0)
            {
                clause = new SqlTemporalClause(SqlTemporalKind.ContainedIn, first, close + 1, (open + 1, comma), (comma + 1, close));
                k = close + 1;
            }
        }

        if (clause is null)
        {
            return null;
        }

        _temporal.Add(clause);
        p = k;
        return clause;
    }

    /// <summary>Scans an instant expression; it ends at a clause keyword, a comma or paren at its level, or an alias.</summary>
    private int ScanExpr(int p, string? stop)
    {
        var start = p;
        while (p < _t.Length)
        {
            var token = _t[p];
            if (token.Kind == SqlTokenKind.End || IsPunct(p, ',') || IsPunct(p, ')') || IsPunct(p, ';'))
            {
                return p;
            }

            if (token.Kind == SqlTokenKind.Keyword && (s_exprStops.Contains(token.Text(_text)) || stop is not null && token.Is(_text, stop)))
            {
                return p;
            }

            if (p > start && IsPlainName(p) && _t[p - 1].Kind is SqlTokenKind.Number or SqlTokenKind.String or SqlTokenKind.Parameter
                    || p > start && IsPlainName(p) && IsPunct(p - 1, ')'))
            {
                return p;
            }

            p = IsPunct(p, '(') && _syntax.Match(p) > 0 ? _syntax.Match(p) + 1 : p + 1;
        }

        return p;
    }
}
