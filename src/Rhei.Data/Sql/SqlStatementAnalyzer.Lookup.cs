namespace Rhei.Data.Sql;

/// <summary>Parameters, period columns and the shape of the top-level WHERE (point lookup, range or scan).</summary>
internal sealed partial class SqlStatementAnalyzer
{
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
