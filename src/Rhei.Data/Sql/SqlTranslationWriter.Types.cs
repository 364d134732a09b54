using System.Globalization;
using Rhei.Data.Schema;
using Rhei.Data.Sql.Syntax;

namespace Rhei.Data.Sql;

/// <summary>
/// Expression types, inferred bottom-up from the mirror's column types where that is simple. SQLite keeps each row's
/// storage class through CASE, COALESCE, set operations and VALUES; DuckDB converts all branches to one type (INTEGER and
/// REAL become DOUBLE). A construct whose branches are not all of one known class is refused, and operators and functions
/// whose result depends on the operand's class (%, floor, ceil) translate only when it is known.
/// </summary>
internal sealed partial class SqlTranslationWriter
{
    private enum ValueType
    {
        Null,
        Integer,
        Real,
        Text,
        Blob,
        Unknown,
    }

    private static readonly HashSet<string> s_booleanWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "OR", "AND", "NOT", "IS", "IN", "LIKE", "GLOB", "BETWEEN", "ISNULL", "NOTNULL", "EXISTS", "REGEXP", "MATCH",
    };

    private static readonly HashSet<string> s_realFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "avg", "total", "round", "sqrt", "exp", "ln", "log", "log10", "log2", "sin", "cos", "tan", "asin", "acos", "atan", "atan2",
        "pi", "pow", "power", "degrees", "radians", "percent_rank", "cume_dist", "julianday",
    };

    private static readonly HashSet<string> s_integerFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "count", "length", "instr", "unicode", "row_number", "rank", "dense_rank", "ntile", "sign", "unixepoch",
    };

    private static readonly HashSet<string> s_textFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "upper", "lower", "trim", "ltrim", "rtrim", "replace", "substr", "substring",
    };

    private static readonly HashSet<string> s_clauseWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "FROM", "WHERE", "GROUP", "HAVING", "WINDOW", "ORDER", "LIMIT", "UNION", "INTERSECT", "EXCEPT",
    };

    /// <summary>
    /// Types already inferred, by token range: a CASE's branches are typed when the CASE is checked and again inside every
    /// enclosing CASE's check, so without this a deep nesting is typed once per level (quadratic work).
    /// </summary>
    private readonly Dictionary<(int Start, int End), ValueType> _typeOf = [];

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

    // ---- inference -----------------------------------------------------------------------

    /// <summary>Whether token <paramref name="k"/> can end an operand (so a following + or - is binary).</summary>
    private bool IsOperandEnd(int k) => _syntax.IsOperandEnd(k);

    /// <summary>The storage class every row of the expression in tokens [start, end) has (or NULL), when it can be told.</summary>
    private ValueType TypeOf(int start, int end)
    {
        if (end <= start)
        {
            return ValueType.Unknown;
        }

        // TypeOf recurses through CASE branches and parentheses on its own, apart from the emitting walk's depth
        // bound: bound it too, so that 10,000 nested CASEs are refused instead of overflowing the stack.
        if (++_depth > SqlWorkLimit.MaxDepth)
        {
            _depth--;
            throw Refuse($"expressions are nested more than {SqlWorkLimit.MaxDepth} levels deep");
        }

        try
        {
            if (!_typeOf.TryGetValue((start, end), out var type))
            {
                type = TypeOfWithin(start, end);
                _typeOf[(start, end)] = type;
            }

            return type;
        }
        finally
        {
            _depth--;
        }
    }

    private ValueType TypeOfWithin(int start, int end)
    {
        var additive = new List<int>();
        var multiplicative = new List<int>();
        var concat = false;
        for (var k = start; k < end; k++)
        {
            SqlWorkLimit.Step();
            if (IsPunct(k, '('))
            {
                if (_syntax.Match(k) < 0 || _syntax.Match(k) >= end)
                {
                    return ValueType.Unknown;
                }

                k = _syntax.Match(k);
            }
            else if (Is(k, "CASE"))
            {
                var caseEnd = CaseEnd(k);
                if (caseEnd < 0 || caseEnd >= end)
                {
                    return ValueType.Unknown;
                }

                k = caseEnd;
            }
            else if (_t[k].Kind == SqlTokenKind.Keyword && s_booleanWords.Contains(Raw(k)))
            {
                // Comparisons and logic give 0/1 (DuckDB's BOOLEAN reads back as an integer).
                return ValueType.Integer;
            }
            else if (IsPunct(k, ',') || Is(k, "COLLATE") || Is(k, "ESCAPE"))
            {
                return ValueType.Unknown;
            }
            else if (IsKind(k, SqlTokenKind.Operator))
            {
                switch (Raw(k))
                {
                    case "=" or "==" or "<>" or "!=" or "<" or ">" or "<=" or ">=":
                        return ValueType.Integer;
                    case "&" or "|" or "<<" or ">>" or "->" or "->>" or "::":
                        return ValueType.Unknown;
                    case "||":
                        concat = true;
                        break;
                    case "+" or "-" when k > start && IsOperandEnd(k - 1):
                        additive.Add(k);
                        break;
                    case "*" or "/" or "%":
                        multiplicative.Add(k);
                        break;
                }
            }
        }

        if (additive.Count > 0)
        {
            return Arithmetic(start, end, additive);
        }

        if (multiplicative.Count > 0)
        {
            return Arithmetic(start, end, multiplicative);
        }

        return concat ? ValueType.Text : PrimaryType(start, end);
    }

    private ValueType Arithmetic(int start, int end, List<int> operators)
    {
        var type = TypeOf(start, operators[0]);
        for (var n = 0; n < operators.Count; n++)
        {
            var next = TypeOf(operators[n] + 1, n + 1 < operators.Count ? operators[n + 1] : end);
            type = Arithmetic(type, Raw(operators[n]), next);
        }

        return type;
    }

    private static ValueType Arithmetic(ValueType left, string op, ValueType right)
    {
        if (left == ValueType.Null || right == ValueType.Null)
        {
            return ValueType.Null;
        }

        if (left is not (ValueType.Integer or ValueType.Real) || right is not (ValueType.Integer or ValueType.Real))
        {
            // Text and blobs convert to INTEGER or REAL by their content.
            return ValueType.Unknown;
        }

        if (op == "%")
        {
            return left == ValueType.Integer && right == ValueType.Integer ? ValueType.Integer : ValueType.Unknown;
        }

        return left == ValueType.Integer && right == ValueType.Integer ? ValueType.Integer : ValueType.Real;
    }

    private ValueType PrimaryType(int start, int end)
    {
        if (IsKind(start, SqlTokenKind.Operator) && Raw(start) is "-" or "+")
        {
            var operand = TypeOf(start + 1, end);
            return operand is ValueType.Integer or ValueType.Real or ValueType.Null ? operand : ValueType.Unknown;
        }

        if (end == start + 1)
        {
            return _t[start].Kind switch
            {
                SqlTokenKind.Number => NumberType(start),
                SqlTokenKind.String => ValueType.Text,
                SqlTokenKind.Blob => ValueType.Blob,
                SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier when Raw(start).Equals("true", StringComparison.OrdinalIgnoreCase)
                                                                               || Raw(start).Equals("false", StringComparison.OrdinalIgnoreCase)
                    => ValueType.Integer,
                SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier => ColumnTypeOf(start, null, _t[start].Unquote(_text)),
                SqlTokenKind.Keyword when Is(start, "NULL") => ValueType.Null,
                SqlTokenKind.Keyword when Is(start, "TRUE") || Is(start, "FALSE") => ValueType.Integer,
                _ => ValueType.Unknown,
            };
        }

        if (end == start + 3 && IsPunct(start + 1, '.') && _t[start].Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier
            && _t[start + 2].Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier)
        {
            return ColumnTypeOf(start, _t[start].Unquote(_text), _t[start + 2].Unquote(_text));
        }

        if (IsPunct(start, '(') && _syntax.Match(start) == end - 1)
        {
            return Is(start + 1, "SELECT") || Is(start + 1, "WITH") || Is(start + 1, "VALUES") ? ValueType.Unknown : TypeOf(start + 1, end - 1);
        }

        if (Is(start, "CASE") && CaseEnd(start) == end - 1)
        {
            var (branches, _) = CaseBranches(start, end - 1);
            return Unify(branches.Select(b => TypeOf(b.Start, b.End)));
        }

        if (_t[start].Kind is SqlTokenKind.Identifier or SqlTokenKind.Keyword && IsCall(start) && _syntax.Match(start + 1) > start
            && (_syntax.Match(start + 1) == end - 1 || Is(_syntax.Match(start + 1) + 1, "OVER") || Is(_syntax.Match(start + 1) + 1, "FILTER")))
        {
            return CallType(start);
        }

        return ValueType.Unknown;
    }

    private ValueType NumberType(int k)
    {
        if (!IsIntegerLiteral(k))
        {
            return ValueType.Real;
        }

        var clean = Raw(k).Replace("_", string.Empty, StringComparison.Ordinal);
        // A decimal integer literal beyond 64 bits is a REAL in SQLite.
        return clean.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || long.TryParse(clean, NumberStyles.None, CultureInfo.InvariantCulture, out _)
            ? ValueType.Integer
            : ValueType.Real;
    }

    private ValueType CallType(int nameIndex)
    {
        var lower = Raw(nameIndex).ToLowerInvariant();
        var open = nameIndex + 1;
        var close = _syntax.Match(open);
        if (lower == "cast")
        {
            for (var k = close - 1; k > open; k--)
            {
                if (Is(k, "AS"))
                {
                    var type = _text[_t[k + 1].Start.._t[close - 1].End].ToUpperInvariant();
                    return type.Contains("INT", StringComparison.Ordinal) ? ValueType.Integer
                        : type.Contains("CHAR", StringComparison.Ordinal) || type.Contains("CLOB", StringComparison.Ordinal) || type.Contains("TEXT", StringComparison.Ordinal) ? ValueType.Text
                        : type.Contains("REAL", StringComparison.Ordinal) || type.Contains("FLOA", StringComparison.Ordinal) || type.Contains("DOUB", StringComparison.Ordinal) ? ValueType.Real
                        : ValueType.Unknown;
                }
            }

            return ValueType.Unknown;
        }

        var ranges = _syntax.Items(open);
        if (ranges.Count > 0 && Is(ranges[0].Start, "DISTINCT"))
        {
            ranges[0] = (ranges[0].Start + 1, ranges[0].End);
        }

        ValueType Arg(int n) => n < ranges.Count ? TypeOf(ranges[n].Start, ranges[n].End) : ValueType.Unknown;

        if (s_realFunctions.Contains(lower))
        {
            return ValueType.Real;
        }

        if (s_integerFunctions.Contains(lower))
        {
            return ValueType.Integer;
        }

        if (s_textFunctions.Contains(lower))
        {
            // On a BLOB, substr() returns a BLOB; on a number, these work on its text form.
            return Arg(0) is ValueType.Text or ValueType.Null ? ValueType.Text : ValueType.Unknown;
        }

        return lower switch
        {
            "date" or "time" or "datetime" or "strftime" => ValueType.Text,
            "abs" or "floor" or "ceil" or "ceiling" or "sum" when ranges.Count == 1
                => Arg(0) is var a && a is ValueType.Integer or ValueType.Real or ValueType.Null ? a : ValueType.Unknown,
            "nullif" or "likely" or "unlikely" or "likelihood" or "first_value" or "last_value" or "nth_value" when ranges.Count >= 1 => Arg(0),
            "min" or "max" when ranges.Count == 1 => Arg(0),
            "lag" or "lead" when ranges.Count is 1 or 2 => Arg(0),
            "lag" or "lead" when ranges.Count == 3 => Unify([Arg(0), Arg(2)]),
            "coalesce" or "ifnull" => Unify(ranges.Select(r => TypeOf(r.Start, r.End))),
            "iif" when ranges.Count == 3 => Unify([Arg(1), Arg(2)]),
            _ => ValueType.Unknown,
        };
    }

    // ---- column resolution ---------------------------------------------------------------

    /// <summary>
    /// The type of a column reference, when it can only mean replicated columns that all have one mirror type. A name that
    /// may instead be a result alias, a CTE's or subquery's column, or a table function's column is unknown.
    /// </summary>
    private ValueType ColumnTypeOf(int at, string? qualifier, string column)
    {
        var lookup = _options.ColumnType;
        if (lookup is null)
        {
            return ValueType.Unknown;
        }

        var names = _syntax.Names;
        if (qualifier is null
                ? _stmt.TableFunctions.Count > 0 || names.HasDerivedSourceAround(at) || names.ResultAliases.Contains(column)
                : names.DerivedNames.Contains(qualifier))
        {
            return ValueType.Unknown;
        }

        MirrorType? found = null;
        foreach (var table in _stmt.Tables)
        {
            if (qualifier is not null && !string.Equals(table.Alias ?? table.Name, qualifier, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var type = lookup(table.QualifiedName, column);
            if (type is null)
            {
                if (qualifier is not null)
                {
                    return ValueType.Unknown;
                }

                continue;
            }

            if (found is not null && found != type)
            {
                return ValueType.Unknown;
            }

            found = type;
        }

        return found switch
        {
            MirrorType.Integer => ValueType.Integer,
            MirrorType.Real => ValueType.Real,
            MirrorType.Text => ValueType.Text,
            MirrorType.Blob => ValueType.Blob,
            _ => ValueType.Unknown,
        };
    }
}
