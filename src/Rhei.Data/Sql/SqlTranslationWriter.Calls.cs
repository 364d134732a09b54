using System.Globalization;

namespace Rhei.Data.Sql;

/// <summary>
/// Function calls, translated argument by argument so that rewrites nest (<c>upper(ifnull(a, b))</c>), and CAST with
/// SQLite's never-failing conversions.
/// </summary>
internal sealed partial class SqlTranslationWriter
{
    private string TranslateCall(int nameIndex)
    {
        var name = Raw(nameIndex);
        var lower = name.ToLowerInvariant();
        var open = nameIndex + 1;
        var close = _syntax.Match(open);
        if (close < 0)
        {
            throw Refuse($"unbalanced parentheses after {name}");
        }

        if (lower == "cast")
        {
            return TranslateCast(open, close);
        }

        var ranges = _syntax.Items(open);
        var distinct = ranges.Count > 0 && Is(ranges[0].Start, "DISTINCT");
        if (distinct)
        {
            ranges[0] = (ranges[0].Start + 1, ranges[0].End);
        }

        foreach (var (start, end) in ranges)
        {
            for (var k = start; k < end; k++)
            {
                if (Is(k, "ORDER") && Is(k + 1, "BY"))
                {
                    throw Refuse($"ORDER BY inside {lower}()");
                }
            }
        }

        var args = new string[ranges.Count];
        for (var k = 0; k < args.Length; k++)
        {
            args[k] = Emit(ranges[k].Start, ranges[k].End);
        }

        var prefix = distinct ? "DISTINCT " : string.Empty;
        if (s_refused.TryGetValue(lower, out var reason))
        {
            throw Refuse(reason);
        }

        if (lower.StartsWith("sqlite_", StringComparison.Ordinal) || lower.StartsWith("pragma_", StringComparison.Ordinal))
        {
            throw Refuse($"{lower}() answers about SQLite itself");
        }

        if (SqlDateTimeTranslator.IsDateFunction(lower))
        {
            return SqlDateTimeTranslator.Translate(lower, args, ranges.Select(r => LiteralValue(r.Start, r.End)).ToArray());
        }

        switch (lower)
        {
            case "coalesce" or "ifnull":
                CheckBranches(ranges, $"{lower}()");
                break;
            case "iif" when ranges.Count == 3:
                CheckBranches([ranges[1], ranges[2]], "iif()");
                break;
            case "lag" or "lead" when ranges.Count == 3:
                // The default stands in for the value on rows without a neighbour.
                CheckBranches([ranges[0], ranges[2]], $"{lower}() with a default");
                break;
        }

        switch (lower)
        {
            case "floor" or "ceil" or "ceiling" when args.Length == 1:
                return FloorOrCeil(lower == "floor" ? "floor" : "ceil", args[0], ranges[0]);
            case "min" or "max" when args.Length > 1:
                // SQLite returns the winning argument as it is (max(1, 0.5) is the INTEGER 1); LEAST/GREATEST convert every
                // argument to one type first (1.0), and cannot compare numbers with text at all.
                throw Refuse($"scalar {lower}() keeps the winning argument's type; DuckDB's {(lower == "min" ? "LEAST" : "GREATEST")} converts all arguments to one");
            case "ifnull" when args.Length == 2:
                return $"COALESCE({args[0]}, {args[1]})";
            case "iif" when args.Length == 3:
                return $"CASE WHEN {args[0]} THEN {args[1]} ELSE {args[2]} END";
            case "sum" when args.Length == 1 && !Is(close + 1, "OVER") && !Is(close + 1, "FILTER"):
                // DuckDB sums BIGINT into HUGEINT; SQLite raises "integer overflow" when an integer sum leaves 64 bits.
                // A REAL column's sum is a DOUBLE in both engines: the guard would never fire, and binding its four
                // sum() calls is a third of preparing a small aggregate, paid again after every write to the mirror.
                var sum = $"sum({prefix}{args[0]})";
                return IsRealColumn(ranges[0].Start, ranges[0].End)
                    ? sum
                    : $"CASE WHEN typeof({sum}) = 'HUGEINT' AND ({sum} > 9223372036854775807 OR {sum} < -9223372036854775808) THEN error('integer overflow') ELSE {sum} END";
            case "unicode" when args.Length == 1:
                // DuckDB answers -1 for '', SQLite NULL.
                return $"nullif(unicode({args[0]}), -1)";
            case "glob" when args.Length == 2 && !IsPlainGlobPattern(ranges[0].Start, ranges[0].End):
                throw Refuse("GLOB pattern with ?, [ or a non-literal pattern (DuckDB matches bytes and spells negation [!])");
            case "total" when args.Length == 1:
                return $"COALESCE(CAST(sum({prefix}{args[0]}) AS DOUBLE), 0.0)";
            case "round" when args.Length is 1 or 2:
                return Round(args[0], args.Length == 2 ? ranges[1] : null);
            case "upper" when args.Length == 1:
                // SQLite changes the case of ASCII letters only.
                return $"translate({args[0]}, {Lower}, {Upper})";
            case "lower" when args.Length == 1:
                return FoldAscii(args[0]);
            case "glob" when args.Length == 2:
                return $"({args[1]} GLOB {args[0]})";
            case "likely" or "unlikely" when args.Length == 1:
                return args[0];
            case "likelihood" when args.Length == 2:
                return args[0];
        }

        if (s_same.Contains(lower) || SqlFunctionCatalog.DuckDbOnlyFunctions.Contains(lower) || IsDuckDbFamily(lower))
        {
            return $"{name}({prefix}{string.Join(", ", args)})";
        }

        throw Refuse($"function '{lower}' has no faithful DuckDB translation");
    }

    /// <summary>
    /// SQLite's round: no digits (or negative ones) rounds half away from zero in double arithmetic; with digits it rounds the
    /// exact decimal expansion of the double half away from zero (round(2.675, 2) is 2.67), and leaves |x| above 2^52 alone.
    /// DuckDB's round multiplies first (2.68), so the exact expansion is printed and rounded as a DECIMAL.
    /// </summary>
    private string Round(string arg, (int Start, int End)? digitsRange)
    {
        var x = $"CAST({arg} AS DOUBLE)";
        var digits = 0L;
        if (digitsRange is { } range)
        {
            var (start, end) = range;
            var negative = end == start + 2 && IsKind(start, SqlTokenKind.Operator) && Raw(start) == "-";
            var number = negative ? start + 1 : start;
            if (end != number + 1 || !IsKind(number, SqlTokenKind.Number) || !long.TryParse(Raw(number), CultureInfo.InvariantCulture, out digits))
            {
                throw Refuse("round() with digits that are not an integer literal");
            }

            digits = negative ? 0 : Math.Min(digits, 15);
        }

        if (digits == 0)
        {
            return $"CASE WHEN abs({x}) > 4503599627370496.0 THEN {x} ELSE CAST(trunc({x} + CASE WHEN {x} < 0 THEN -0.5 ELSE 0.5 END) AS DOUBLE) END";
        }

        return $"CASE WHEN abs({x}) > 4503599627370496.0 THEN {x} ELSE CAST(round(CAST(printf('%.20f', {x}) AS DECIMAL(38,20)), {digits.ToString(CultureInfo.InvariantCulture)}) AS DOUBLE) END";
    }

    /// <summary>
    /// SQLite's floor/ceil return an INTEGER argument unchanged and round a REAL to a REAL; DuckDB returns DOUBLE for both,
    /// so an integer argument is passed through and anything of unknown class is refused.
    /// </summary>
    private string FloorOrCeil(string function, string arg, (int Start, int End) range) => TypeOf(range.Start, range.End) switch
    {
        ValueType.Integer => $"CAST({arg} AS BIGINT)",
        ValueType.Real => $"{function}({arg})",
        ValueType.Null => "NULL",
        _ => throw Refuse($"{function}() of an argument of unknown type (SQLite keeps an INTEGER, DuckDB returns DOUBLE)"),
    };

    /// <summary>A literal GLOB pattern using only * wildcards: DuckDB's ? matches one byte and its classes differ.</summary>
    private bool IsPlainGlobPattern(int start, int end)
        => LiteralValue(start, end) is { } pattern && pattern.AsSpan().IndexOfAny('?', '[') < 0;

    /// <summary>
    /// SQLite's text form of any value: REAL as SQLite 3.53 prints it (<see cref="SqliteRealText"/>), a BLOB's bytes
    /// as UTF-8, a comparison as 0/1. typeof() is constant in DuckDB, so only the matching branch runs.
    /// </summary>
    internal static string TextOf(string e)
        => $"CASE typeof({e}) WHEN 'DOUBLE' THEN {SqliteRealText.Of($"TRY_CAST({e} AS DOUBLE)")} "
           + $"WHEN 'BLOB' THEN decode(TRY_CAST({e} AS BLOB)) WHEN 'BOOLEAN' THEN CAST(CAST({e} AS INTEGER) AS VARCHAR) ELSE CAST({e} AS VARCHAR) END";

    private static bool IsDuckDbFamily(string lower)
        => lower.StartsWith("list_", StringComparison.Ordinal) || lower.StartsWith("struct_", StringComparison.Ordinal)
           || lower.StartsWith("array_", StringComparison.Ordinal) || lower.StartsWith("map_", StringComparison.Ordinal);

    /// <summary>The value of a lone string literal argument, unescaped; null for anything else.</summary>
    private string? LiteralValue(int start, int end)
    {
        if (end != start + 1 || !IsKind(start, SqlTokenKind.String))
        {
            return null;
        }

        var raw = Raw(start);
        return raw.Length >= 2 ? raw[1..^1].Replace("''", "'", StringComparison.Ordinal) : null;
    }

    /// <summary>
    /// SQLite's CAST never fails: text converts by its longest numeric prefix ('12abc' → 12, 'abc' → 0) and REAL truncates.
    /// DuckDB's CAST errors and rounds, so the prefix is extracted from the text form explicitly.
    /// </summary>
    private string TranslateCast(int open, int close)
    {
        var asIndex = -1;
        for (var k = open + 1; k < close; k++)
        {
            if (IsPunct(k, '('))
            {
                k = _syntax.Match(k);
            }
            else if (Is(k, "AS"))
            {
                asIndex = k;
            }
        }

        if (asIndex < 0)
        {
            throw Refuse("CAST without AS");
        }

        var expr = Emit(open + 1, asIndex);
        var type = _text[_t[asIndex + 1].Start.._t[close - 1].End].ToUpperInvariant();
        // Numbers convert as numbers (REAL truncates toward zero and saturates at the 64-bit limits); only text goes
        // through its numeric prefix. typeof() is constant in DuckDB, so the branch that does not apply never runs.
        if (type.Contains("INT", StringComparison.Ordinal))
        {
            var d = $"TRY_CAST({expr} AS DOUBLE)";
            return $"CASE WHEN {expr} IS NULL THEN NULL WHEN typeof({expr}) IN ('BIGINT', 'INTEGER', 'HUGEINT', 'BOOLEAN') THEN TRY_CAST({expr} AS BIGINT) "
                   + $"WHEN typeof({expr}) = 'DOUBLE' THEN CASE WHEN {d} >= 9223372036854775807.0 THEN 9223372036854775807 WHEN {d} <= -9223372036854775808.0 THEN -9223372036854775807 - 1 ELSE CAST(trunc({d}) AS BIGINT) END "
                   + $"ELSE COALESCE(TRY_CAST(regexp_extract(CAST({expr} AS VARCHAR), '^\\s*([+-]?[0-9]+)', 1) AS BIGINT), 0) END";
        }

        if (type.Contains("CHAR", StringComparison.Ordinal) || type.Contains("CLOB", StringComparison.Ordinal) || type.Contains("TEXT", StringComparison.Ordinal))
        {
            return TextOf(expr);
        }

        if (type.Contains("REAL", StringComparison.Ordinal) || type.Contains("FLOA", StringComparison.Ordinal) || type.Contains("DOUB", StringComparison.Ordinal))
        {
            return $"CASE WHEN {expr} IS NULL THEN NULL WHEN typeof({expr}) IN ('BIGINT', 'INTEGER', 'HUGEINT', 'BOOLEAN', 'DOUBLE') THEN TRY_CAST({expr} AS DOUBLE) "
                   + $"ELSE COALESCE(TRY_CAST(regexp_extract(CAST({expr} AS VARCHAR), '^\\s*([+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?)', 1) AS DOUBLE), 0.0) END";
        }

        throw Refuse($"CAST to {type} has no faithful DuckDB translation");
    }
}
