using Rhei.Data.Sql.Syntax;

namespace Rhei.Data.Sql;

/// <summary>
/// Analyses one statement's tokens: kind, tables, features, parameters, hint and temporal clauses.
/// It is a token walk, not a parser: it recognises the shapes routing and translation need and
/// leaves grammar errors for the engines to report.
/// </summary>
internal sealed class SqlStatementAnalyzer
{
    private static readonly HashSet<string> s_exprStops = new(StringComparer.OrdinalIgnoreCase)
    {
        "WHERE", "AS", "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL", "ON", "USING", "GROUP",
        "ORDER", "LIMIT", "UNION", "EXCEPT", "INTERSECT", "HAVING", "WINDOW", "QUALIFY", "SELECT",
    };

    private static readonly string[] s_periodColumns = ["_rhei_valid_from", "_rhei_valid_to", "_rhei_operation"];

    private readonly string _text;
    private readonly SqlToken[] _t;
    private readonly SqlSyntax _syntax;
    private readonly List<SqlTableReference> _tables = [];
    private readonly List<string> _tableFunctions = [];
    private readonly List<string> _functions = [];
    private readonly List<SqlTemporalClause> _temporal = [];
    private SqlFeatures _features;

    private SqlStatementAnalyzer(string text, SqlToken[] tokens)
    {
        _text = text;
        _t = tokens;
        _syntax = SqlSyntaxBuilder.Build(text, tokens);
    }

    /// <summary>Analyses the tokens [start, end) of <paramref name="all"/>.</summary>
    public static SqlStatement Analyze(string text, SqlToken[] all, int start, int end)
    {
        RheiRoute? hint = null;
        var significant = new List<SqlToken>(end - start + 1);
        for (var i = start; i < end; i++)
        {
            var token = all[i];
            if (token.Kind == SqlTokenKind.Comment)
            {
                if (significant.Count == 0)
                {
                    hint ??= SqlHintParser.Parse(token.Span(text));
                }
            }
            else if (token.Kind != SqlTokenKind.Whitespace)
            {
                significant.Add(token);
            }
        }

        // The statement's text runs from its first comment or token to its last token: surrounding whitespace is not part of it.
        var first = text.Length;
        var last = 0;
        for (var i = start; i < end; i++)
        {
            if (all[i].Kind != SqlTokenKind.Whitespace)
            {
                first = Math.Min(first, all[i].Start);
                last = all[i].End;
            }
        }

        last = Math.Max(first, last);
        significant.Add(new SqlToken(SqlTokenKind.End, last, 0));
        var analyzer = new SqlStatementAnalyzer(text, significant.ToArray());
        return analyzer.Run(first, last - first, hint);
    }

    private SqlStatement Run(int start, int length, RheiRoute? hint)
    {
        if (_syntax.HasWith)
        {
            _features |= SqlFeatures.Cte;
        }

        var (kind, verb) = DetectKind();
        var target = FindTarget(kind, verb);
        Walk(kind);
        return new SqlStatement
        {
            CommandText = _text,
            Start = start,
            Length = length,
            Tokens = _t,
            Syntax = _syntax,
            Kind = kind,
            Features = _features,
            Tables = _tables,
            TableFunctions = _tableFunctions,
            Functions = _functions,
            Parameters = CollectParameters(),
            TargetTable = target,
            AlterAction = kind == SqlStatementKind.AlterTable ? ParseAlter() : null,
            Hint = hint,
            TemporalClauses = _temporal,
            UsesPeriodColumns = UsesPeriodColumns(),
            Lookup = kind == SqlStatementKind.Select ? ClassifyWhere() : SqlLookupKind.None,
        };
    }

    // ---- token helpers -------------------------------------------------------------------

    private bool Is(int i, string word) => i >= 0 && i < _t.Length && _t[i].Is(_text, word);

    private bool IsPunct(int i, char c) => i >= 0 && i < _t.Length && _t[i].Kind == SqlTokenKind.Punctuation && _text[_t[i].Start] == c;

    private bool IsKind(int i, SqlTokenKind kind) => i >= 0 && i < _t.Length && _t[i].Kind == kind;

    private bool IsPlainName(int i) => IsKind(i, SqlTokenKind.Identifier) || IsKind(i, SqlTokenKind.QuotedIdentifier);

    private string Lower(int i) => _t[i].Text(_text).ToLowerInvariant();

    // ---- kind and targets ----------------------------------------------------------------

    private (SqlStatementKind Kind, int Verb) DetectKind()
    {
        var p = 0;
        while (IsPunct(p, '('))
        {
            p++;
        }

        if (Is(p, "WITH"))
        {
            // Skip the CTE list: the verb is the first keyword at depth 0 after the WITH clause.
            var k = p + 1;
            while (k < _t.Length && _t[k].Kind != SqlTokenKind.End)
            {
                if (IsPunct(k, '(') && _syntax.Match(k) > 0)
                {
                    k = _syntax.Match(k) + 1;
                    continue;
                }

                if (Is(k, "SELECT") || Is(k, "INSERT") || Is(k, "UPDATE") || Is(k, "DELETE") || Is(k, "REPLACE") || Is(k, "VALUES") || Is(k, "FROM"))
                {
                    break;
                }

                k++;
            }

            p = k;
        }

        if (_t[p].Kind is not (SqlTokenKind.Keyword or SqlTokenKind.Identifier))
        {
            return (SqlStatementKind.Other, p);
        }

        var word = _t[p].Text(_text).ToUpperInvariant();
        var kind = word switch
        {
            "SELECT" or "VALUES" => SqlStatementKind.Select,
            "FROM" or "SUMMARIZE" or "DESCRIBE" or "PIVOT" or "UNPIVOT" => DuckOnly(SqlStatementKind.Select),
            "INSERT" => Is(p + 1, "OR") && Is(p + 2, "REPLACE") ? SqlStatementKind.Replace : HasOnConflictUpdate(p) ? SqlStatementKind.Upsert : SqlStatementKind.Insert,
            "REPLACE" => SqlStatementKind.Replace,
            "UPDATE" => SqlStatementKind.Update,
            "DELETE" => SqlStatementKind.Delete,
            "CREATE" => IsTableAfter(p + 1, "TEMP", "TEMPORARY") ? SqlStatementKind.CreateTable : SqlStatementKind.CreateOther,
            "ALTER" => Is(p + 1, "TABLE") ? SqlStatementKind.AlterTable : SqlStatementKind.Other,
            "DROP" => Is(p + 1, "TABLE") ? SqlStatementKind.DropTable : SqlStatementKind.DropOther,
            "PRAGMA" => SqlStatementKind.Pragma,
            "BEGIN" => SqlStatementKind.Begin,
            "COMMIT" or "END" => SqlStatementKind.Commit,
            "ROLLBACK" => SqlStatementKind.Rollback,
            "SAVEPOINT" => SqlStatementKind.Savepoint,
            "RELEASE" => SqlStatementKind.Release,
            "ATTACH" => SqlStatementKind.Attach,
            "DETACH" => SqlStatementKind.Detach,
            "VACUUM" => SqlStatementKind.Vacuum,
            "ANALYZE" => SqlStatementKind.Analyze,
            "REINDEX" => SqlStatementKind.Reindex,
            "EXPLAIN" => SqlStatementKind.Explain,
            _ => SqlStatementKind.Other,
        };
        return (kind, p);
    }

    private SqlStatementKind DuckOnly(SqlStatementKind kind)
    {
        _features |= SqlFeatures.DuckDbOnlySyntax;
        return kind;
    }

    private bool IsTableAfter(int p, string skip1, string skip2)
    {
        if (Is(p, skip1) || Is(p, skip2))
        {
            p++;
        }

        return Is(p, "TABLE");
    }

    private bool HasOnConflictUpdate(int p)
    {
        for (var i = p; i + 2 < _t.Length; i++)
        {
            if (Is(i, "ON") && Is(i + 1, "CONFLICT"))
            {
                for (var j = i + 2; j + 1 < _t.Length; j++)
                {
                    if (Is(j, "DO") && Is(j + 1, "UPDATE"))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private string? FindTarget(SqlStatementKind kind, int verb)
    {
        int p;
        switch (kind)
        {
            case SqlStatementKind.Insert or SqlStatementKind.Replace or SqlStatementKind.Upsert:
                p = verb;
                while (p < _t.Length && !Is(p, "INTO") && _t[p].Kind != SqlTokenKind.End)
                {
                    p++;
                }

                return ReadName(p + 1, out _);
            case SqlStatementKind.Update:
                p = verb + 1;
                if (Is(p, "OR"))
                {
                    p += 2;
                }

                return ReadName(p, out _);
            case SqlStatementKind.Delete:
                return ReadName(Is(verb + 1, "FROM") ? verb + 2 : verb + 1, out _);
            case SqlStatementKind.CreateTable or SqlStatementKind.DropTable or SqlStatementKind.AlterTable or SqlStatementKind.CreateOther or SqlStatementKind.DropOther:
                p = verb + 1;
                while (Is(p, "TEMP") || Is(p, "TEMPORARY") || Is(p, "UNIQUE") || Is(p, "VIRTUAL"))
                {
                    p++;
                }

                var isIndexOrTrigger = Is(p, "INDEX") || Is(p, "TRIGGER");
                p++;
                if (Is(p, "IF"))
                {
                    p += Is(p + 1, "NOT") ? 3 : 2;
                }

                var name = ReadName(p, out var after);
                if (kind == SqlStatementKind.CreateOther && isIndexOrTrigger)
                {
                    // CREATE INDEX i ON t(...) / CREATE TRIGGER tr ... ON t: the target is the table.
                    for (var i = after; i < _t.Length && _t[i].Kind != SqlTokenKind.End; i++)
                    {
                        if (Is(i, "ON"))
                        {
                            return ReadName(i + 1, out _);
                        }
                    }
                }

                return name;
            default:
                return null;
        }
    }

    /// <summary>Reads <c>[schema.]name</c> at <paramref name="p"/>.</summary>
    private string? ReadName(int p, out int after)
    {
        after = p;
        if (p >= _t.Length || !_t[p].IsName)
        {
            return null;
        }

        var name = _t[p].Unquote(_text);
        after = p + 1;
        if (IsPunct(p + 1, '.') && p + 2 < _t.Length && _t[p + 2].IsName)
        {
            name = name + "." + _t[p + 2].Unquote(_text);
            after = p + 3;
        }

        return name;
    }

    private SqlAlterAction ParseAlter()
    {
        ReadName(2, out var p);
        if (Is(p, "ADD"))
        {
            p++;
            if (Is(p, "COLUMN"))
            {
                p++;
            }

            var column = p < _t.Length && _t[p].IsName ? _t[p].Unquote(_text) : null;
            var end = _t[^1].Start;
            var definition = p + 1 < _t.Length - 1 ? _text[_t[p + 1].Start..end].Trim() : null;
            return new SqlAlterAction(SqlAlterKind.AddColumn, column, Definition: string.IsNullOrEmpty(definition) ? null : definition);
        }

        if (Is(p, "DROP"))
        {
            p++;
            if (Is(p, "COLUMN"))
            {
                p++;
            }

            return new SqlAlterAction(SqlAlterKind.DropColumn, ReadSimpleName(p));
        }

        if (Is(p, "RENAME"))
        {
            p++;
            if (Is(p, "TO"))
            {
                return new SqlAlterAction(SqlAlterKind.RenameTable, ReadSimpleName(p + 1));
            }

            if (Is(p, "COLUMN"))
            {
                p++;
            }

            return new SqlAlterAction(SqlAlterKind.RenameColumn, ReadSimpleName(p), Is(p + 1, "TO") ? ReadSimpleName(p + 2) : null);
        }

        return new SqlAlterAction(SqlAlterKind.Other, null);
    }

    private string? ReadSimpleName(int p) => p < _t.Length && _t[p].IsName ? _t[p].Unquote(_text) : null;

    // ---- the walk ------------------------------------------------------------------------

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
                    else if (c == ',' && _syntax.Clause(i) == SqlClauseKind.From)
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

    // ---- parameters, period columns, lookups ---------------------------------------------

    private List<SqlParameterRef> CollectParameters()
    {
        var result = new List<SqlParameterRef>();
        Dictionary<string, int>? named = null;
        var max = 0;
        foreach (var token in _t)
        {
            if (token.Kind != SqlTokenKind.Parameter)
            {
                continue;
            }

            var name = token.Text(_text);
            SqlParameterStyle style;
            int index;
            if (name == "?")
            {
                style = SqlParameterStyle.Anonymous;
                index = ++max;
            }
            else if (name[0] == '?' && int.TryParse(name.AsSpan(1), out var n))
            {
                style = SqlParameterStyle.Numbered;
                index = n;
                max = Math.Max(max, n);
            }
            else
            {
                style = name[0] switch { '@' => SqlParameterStyle.At, ':' => SqlParameterStyle.Colon, _ => SqlParameterStyle.Dollar };
                named ??= new Dictionary<string, int>(StringComparer.Ordinal);
                if (!named.TryGetValue(name, out index))
                {
                    index = style == SqlParameterStyle.Dollar && int.TryParse(name.AsSpan(1), out var d) ? d : ++max;
                    max = Math.Max(max, index);
                    named[name] = index;
                }
            }

            result.Add(new SqlParameterRef(name, style, index, result.Count));
        }

        return result;
    }

    private bool UsesPeriodColumns()
    {
        foreach (var token in _t)
        {
            if (token.Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier)
            {
                var name = token.Kind == SqlTokenKind.Identifier ? token.Span(_text) : token.Unquote(_text).AsSpan();
                foreach (var period in s_periodColumns)
                {
                    if (name.Equals(period, StringComparison.OrdinalIgnoreCase))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>Classifies the top-level WHERE: conjunctions of column-vs-constant tests are lookups SQLite's indexes serve well.</summary>
    private SqlLookupKind ClassifyWhere()
    {
        var where = -1;
        for (var i = 0; i < _t.Length; i++)
        {
            SqlWorkLimit.Step();
            if (_syntax.Parent(i) < 0 && Is(i, "WHERE"))
            {
                where = i;
                break;
            }
        }

        if (where < 0)
        {
            return SqlLookupKind.None;
        }

        var result = SqlLookupKind.Point;
        var p = where + 1;
        while (true)
        {
            var term = ClassifyTerm(ref p);
            if (term == SqlLookupKind.Scan)
            {
                return SqlLookupKind.Scan;
            }

            if (term == SqlLookupKind.Range)
            {
                result = SqlLookupKind.Range;
            }

            if (Is(p, "AND"))
            {
                p++;
                continue;
            }

            return _t[p].Kind == SqlTokenKind.End || IsPunct(p, ';') || Is(p, "ORDER") || Is(p, "LIMIT") ? result : SqlLookupKind.Scan;
        }
    }

    private SqlLookupKind ClassifyTerm(ref int p)
    {
        if (!IsPlainName(p))
        {
            return SqlLookupKind.Scan;
        }

        p++;
        if (IsPunct(p, '.') && IsPlainName(p + 1))
        {
            p += 2;
        }

        var op = _t[p];
        if (op.Is(_text, "=") || op.Is(_text, "=="))
        {
            p++;
            return IsConstant(ref p) ? SqlLookupKind.Point : SqlLookupKind.Scan;
        }

        if (op.Is(_text, "IS"))
        {
            p++;
            return Is(p, "NULL") ? Advance(ref p, SqlLookupKind.Point) : SqlLookupKind.Scan;
        }

        if (op.Is(_text, "<") || op.Is(_text, ">") || op.Is(_text, "<=") || op.Is(_text, ">="))
        {
            p++;
            return IsConstant(ref p) ? SqlLookupKind.Range : SqlLookupKind.Scan;
        }

        if (op.Is(_text, "BETWEEN"))
        {
            p++;
            if (!IsConstant(ref p) || !Is(p, "AND"))
            {
                return SqlLookupKind.Scan;
            }

            p++;
            return IsConstant(ref p) ? SqlLookupKind.Range : SqlLookupKind.Scan;
        }

        if (op.Is(_text, "IN") && IsPunct(p + 1, '(') && _syntax.Match(p + 1) > 0)
        {
            var close = _syntax.Match(p + 1);
            for (var k = p + 2; k < close; k++)
            {
                if (!(_t[k].Kind is SqlTokenKind.Number or SqlTokenKind.String or SqlTokenKind.Parameter || IsPunct(k, ',')))
                {
                    return SqlLookupKind.Scan;
                }
            }

            p = close + 1;
            return SqlLookupKind.Range;
        }

        return SqlLookupKind.Scan;
    }

    private static SqlLookupKind Advance(ref int p, SqlLookupKind kind)
    {
        p++;
        return kind;
    }

    private bool IsConstant(ref int p)
    {
        if (IsKind(p, SqlTokenKind.Operator) && (_t[p].Is(_text, "-") || _t[p].Is(_text, "+")) && IsKind(p + 1, SqlTokenKind.Number))
        {
            p++;
        }

        if (_t[p].Kind is SqlTokenKind.Number or SqlTokenKind.String or SqlTokenKind.Parameter or SqlTokenKind.Blob)
        {
            p++;
            return true;
        }

        return false;
    }
}
