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

    /// <summary>
    /// CASE expressions already typed, by the CASE token: a CASE is typed when it is checked and again inside every
    /// enclosing CASE's check, so without this a deep nesting is typed once per level (quadratic work).
    /// </summary>
    private Dictionary<int, ValueType>? _caseTypes;

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
            return TypeOfWithin(start, end);
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
            _caseTypes ??= [];
            if (!_caseTypes.TryGetValue(start, out var type))
            {
                var (branches, _) = CaseBranches(start, end - 1);
                type = Unify(branches.Select(b => TypeOf(b.Start, b.End)));
                _caseTypes[start] = type;
            }

            return type;
        }

        if (_t[start].Kind is SqlTokenKind.Identifier or SqlTokenKind.Keyword && IsCall(start) && _syntax.Match(start + 1) > start
            && (_syntax.Match(start + 1) == end - 1 || Is(_syntax.Match(start + 1) + 1, "OVER") || Is(_syntax.Match(start + 1) + 1, "FILTER")))
        {
            return CallType(start);
        }

        return ValueType.Unknown;
    }

    /// <summary>Whether tokens <paramref name="start"/>..<paramref name="end"/> are one column reference whose mirror type is DOUBLE.</summary>
    private bool IsRealColumn(int start, int end)
    {
        var column = end == start + 1
            || (end == start + 3 && IsPunct(start + 1, '.') && _t[start].Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier);
        return column && _t[end - 1].Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier && TypeOf(start, end) == ValueType.Real;
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
