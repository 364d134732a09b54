namespace Rhei.Data.Sql;

/// <summary>
/// Where SQLite keeps each row's storage class and DuckDB converts to one type: the branches of CASE, COALESCE, IIF and
/// LAG/LEAD defaults, the members of a compound SELECT and the rows of VALUES must all be of one known class.
/// </summary>
internal sealed partial class SqlTranslationWriter
{
    private static readonly HashSet<string> s_clauseWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "FROM", "WHERE", "GROUP", "HAVING", "WINDOW", "ORDER", "LIMIT", "UNION", "INTERSECT", "EXCEPT",
    };


    // ---- branch checks -------------------------------------------------------------------

    private void CheckBranches(IEnumerable<(int Start, int End)> branches, string construct)
        => CheckTypes(branches.Select(b => TypeOf(b.Start, b.End)).ToList(), construct);

    /// <summary>NULL branches are harmless; otherwise every branch must be of one known class.</summary>
    private static void CheckTypes(IReadOnlyList<ValueType> types, string construct)
    {
        var known = types.Where(t => t != ValueType.Null).ToList();
        if (known.Count <= 1 || known[0] != ValueType.Unknown && known.All(t => t == known[0]))
        {
            return;
        }

        throw Refuse(known.Contains(ValueType.Unknown)
            ? $"{construct} with branches of unknown type (SQLite keeps each row's storage class, DuckDB converts all branches to one type)"
            : $"{construct} mixing {string.Join(" and ", known.Distinct().Select(t => t.ToString().ToUpperInvariant()))} branches (SQLite keeps each row's storage class, DuckDB converts all branches to one type)");
    }

    private static ValueType Unify(IEnumerable<ValueType> types)
    {
        var result = ValueType.Null;
        foreach (var type in types)
        {
            if (type == ValueType.Null)
            {
                continue;
            }

            if (result == ValueType.Null)
            {
                result = type;
            }
            else if (result != type)
            {
                return ValueType.Unknown;
            }
        }

        return result;
    }

    private void CheckCase(int caseIndex)
    {
        var end = CaseEnd(caseIndex);
        if (end >= 0)
        {
            // A CASE without ELSE adds NULL, which never changes a row's class.
            CheckBranches(CaseBranches(caseIndex, end).Branches, "CASE");
        }
    }

    /// <summary>Every compound SELECT's columns and every VALUES list's columns must keep one class across members and rows.</summary>
    private void CheckCompoundsAndValues()
    {
        // Set operators are grouped by the parenthesised group they stand in: one compound per group.
        var groups = new Dictionary<int, List<int>>();
        for (var k = 0; k < _t.Length; k++)
        {
            if (Is(k, "UNION") || Is(k, "INTERSECT") || Is(k, "EXCEPT"))
            {
                var key = _syntax.Parent(k);
                if (!groups.TryGetValue(key, out var list))
                {
                    groups[key] = list = [];
                }

                list.Add(k);
            }
            else if (Is(k, "VALUES"))
            {
                var rows = ValuesRows(k);
                if (rows.Count > 1)
                {
                    var width = rows.Min(r => r.Count);
                    for (var c = 0; c < width; c++)
                    {
                        CheckTypes(rows.Select(r => r[c]).ToList(), "VALUES column");
                    }
                }
            }
        }

        foreach (var operators in groups.Values)
        {
            var members = new List<List<ValueType>?> { MemberColumns(MemberStart(operators[0])) };
            foreach (var op in operators)
            {
                members.Add(MemberColumns(Is(op + 1, "ALL") || Is(op + 1, "DISTINCT") ? op + 2 : op + 1));
            }

            if (members.Any(m => m is null))
            {
                throw Refuse($"{Raw(operators[0]).ToUpperInvariant()} over * or an unrecognised member (column types unknown)");
            }

            var width = members.Min(m => m!.Count);
            for (var c = 0; c < width; c++)
            {
                CheckTypes(members.Select(m => m![c]).ToList(), $"{Raw(operators[0]).ToUpperInvariant()} column");
            }
        }
    }

    /// <summary>The SELECT or VALUES keyword opening the compound member that ends before <paramref name="op"/>; -1 if none.</summary>
    private int MemberStart(int op)
    {
        for (var k = op - 1; k >= 0; k--)
        {
            if (IsPunct(k, ')'))
            {
                k = _syntax.Match(k);
                if (k < 0)
                {
                    return -1;
                }
            }
            else if (IsPunct(k, '('))
            {
                return -1;
            }
            else if (Is(k, "SELECT") || Is(k, "VALUES"))
            {
                return k;
            }
        }

        return -1;
    }

    /// <summary>The types of a member's result columns; null when the member is not recognised or selects *.</summary>
    private List<ValueType>? MemberColumns(int start)
    {
        if (Is(start, "VALUES"))
        {
            var rows = ValuesRows(start);
            if (rows.Count == 0)
            {
                return null;
            }

            var width = rows.Min(r => r.Count);
            return Enumerable.Range(0, width).Select(c => Unify(rows.Select(r => r[c]))).ToList();
        }

        if (!Is(start, "SELECT"))
        {
            return null;
        }

        var k = start + 1;
        if (Is(k, "DISTINCT") || Is(k, "ALL"))
        {
            k++;
        }

        var columns = new List<ValueType>();
        var itemStart = k;
        for (; k < _t.Length; k++)
        {
            var atEnd = _t[k].Kind == SqlTokenKind.End || IsPunct(k, ')') || IsPunct(k, ';') || _t[k].Kind == SqlTokenKind.Keyword && s_clauseWords.Contains(Raw(k));
            if (atEnd || IsPunct(k, ','))
            {
                if (SelectItemType(itemStart, k) is not { } type)
                {
                    return null;
                }

                columns.Add(type);
                if (atEnd)
                {
                    return columns;
                }

                itemStart = k + 1;
            }
            else if (IsPunct(k, '('))
            {
                k = _syntax.Match(k) < 0 ? _t.Length : _syntax.Match(k);
            }
            else if (Is(k, "CASE"))
            {
                var end = CaseEnd(k);
                k = end < 0 ? _t.Length : end;
            }
        }

        return null;
    }

    /// <summary>A result column's type, its alias set aside; null for * and t.*.</summary>
    private ValueType? SelectItemType(int start, int end)
    {
        if (end <= start || IsKind(end - 1, SqlTokenKind.Operator) && Raw(end - 1) == "*")
        {
            return null;
        }

        if (end - start >= 3 && Is(end - 2, "AS"))
        {
            end -= 2;
        }
        else if (end - start >= 2 && _t[end - 1].Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier or SqlTokenKind.String
                 && IsOperandEnd(end - 2))
        {
            end--;
        }

        return TypeOf(start, end);
    }

    /// <summary>Each row's column types of the VALUES list at <paramref name="values"/>.</summary>
    private List<List<ValueType>> ValuesRows(int values)
    {
        var rows = new List<List<ValueType>>();
        var k = values + 1;
        while (IsPunct(k, '(') && _syntax.Match(k) > k)
        {
            rows.Add(_syntax.Items(k).Select(r => TypeOf(r.Start, r.End)).ToList());
            k = _syntax.Match(k) + 1;
            if (!IsPunct(k, ','))
            {
                break;
            }

            k++;
        }

        return rows;
    }

    // ---- CASE structure ------------------------------------------------------------------

    /// <summary>The END closing the CASE at <paramref name="caseIndex"/>, or -1: read from the shared parse, never scanned for.</summary>
    private int CaseEnd(int caseIndex) => _syntax.CaseEnd(caseIndex);

    /// <summary>The result expressions of a CASE (after each THEN, and after ELSE).</summary>
    private (List<(int Start, int End)> Branches, bool HasElse) CaseBranches(int caseIndex, int end)
    {
        var branches = new List<(int, int)>();
        var hasElse = false;
        var start = -1;
        for (var k = caseIndex + 1; k <= end; k++)
        {
            if (IsPunct(k, '('))
            {
                k = _syntax.Match(k);
                continue;
            }

            if (Is(k, "CASE"))
            {
                k = CaseEnd(k);
                if (k < 0)
                {
                    break;
                }

                continue;
            }

            if (Is(k, "WHEN") || Is(k, "ELSE") || k == end)
            {
                if (start >= 0)
                {
                    branches.Add((start, k));
                    start = -1;
                }

                if (Is(k, "ELSE"))
                {
                    hasElse = true;
                    start = k + 1;
                }
            }
            else if (Is(k, "THEN"))
            {
                start = k + 1;
            }
        }

        return (branches, hasElse);
    }
}
