using System.Globalization;
using System.Text;

namespace Rhei.Data.Sql;

/// <summary>
/// SQLite's date and time functions over TEXT dates, rewritten as DuckDB timestamp arithmetic that
/// produces the same TEXT. Only literal formats and modifiers are accepted, and only those whose
/// meaning is the same in both engines; 'now', 'localtime' and month/year arithmetic (SQLite
/// normalises Jan 31 + 1 month to Mar 2, DuckDB clamps to Feb 29) are refused.
/// </summary>
internal static class SqlDateTimeTranslator
{
    private static readonly HashSet<string> s_functions = new(StringComparer.Ordinal) { "date", "time", "datetime", "strftime", "julianday", "unixepoch" };

    public static bool IsDateFunction(string lower) => s_functions.Contains(lower);

    /// <summary>Translates a call; <paramref name="literals"/>[i] is the value of argument i if it is a string literal.</summary>
    public static string Translate(string name, string[] args, string?[] literals)
    {
        var valueIndex = name == "strftime" ? 1 : 0;
        if (args.Length <= valueIndex)
        {
            throw new SqlTranslationRefusedException($"{name}() without a time value means 'now'");
        }

        if (literals[valueIndex] is { } literal && literal.Trim().Equals("now", StringComparison.OrdinalIgnoreCase))
        {
            throw new SqlTranslationRefusedException($"{name}('now') depends on the engine's clock");
        }

        var ts = Timestamp(args[valueIndex]);
        for (var m = valueIndex + 1; m < args.Length; m++)
        {
            var modifier = literals[m] ?? throw new SqlTranslationRefusedException($"{name}() modifier must be a string literal");
            ts = ApplyModifier(ts, modifier.Trim().ToLowerInvariant(), args[valueIndex], m == valueIndex + 1);
        }

        return name switch
        {
            "date" => $"strftime({ts}, '%Y-%m-%d')",
            "time" => $"strftime({ts}, '%H:%M:%S')",
            "datetime" => $"strftime({ts}, '%Y-%m-%d %H:%M:%S')",
            "julianday" => $"(epoch({ts}) / 86400.0 + 2440587.5)",
            "unixepoch" => $"CAST(floor(epoch({ts})) AS BIGINT)",
            _ => $"strftime({ts}, {Format(literals[0])})",
        };
    }

    /// <summary>
    /// The value as a TIMESTAMP where both engines read it alike: YYYY-MM-DD with an optional HH:MM[:SS[.SSS]] and Z. Text
    /// without digits is NULL in both. Anything else SQLite reads its own way (times alone, time zone offsets, Feb 30 rolled
    /// into March, 24:00, Julian day numbers), so DuckDB raises an error and an Auto read falls back to SQLite.
    /// </summary>
    private static string Timestamp(string value)
        => $"CASE WHEN regexp_full_match({value}, '{StrictDateTime}') AND TRY_CAST({value} AS TIMESTAMP) IS NOT NULL THEN TRY_CAST({value} AS TIMESTAMP) "
           + $"WHEN {value} IS NULL OR NOT regexp_matches({value}, '[0-9]') THEN NULL ELSE error('date/time text that DuckDB does not read as SQLite does') END";

    private const string StrictDateTime = "[0-9]{4}-[0-9]{2}-[0-9]{2}([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,3})?)?)?Z?";

    private static string ApplyModifier(string ts, string modifier, string value, bool first)
    {
        switch (modifier)
        {
            case "start of day":
                return $"date_trunc('day', {ts})";
            case "start of month":
                return $"date_trunc('month', {ts})";
            case "start of year":
                return $"date_trunc('year', {ts})";
            case "unixepoch" when first:
                // The value is seconds since 1970; SQLite keeps millisecond precision.
                return $"epoch_ms(CAST(trunc({value} * 1000) AS BIGINT))";
        }

        var parts = modifier.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount))
        {
            var unit = parts[1].TrimEnd('s') switch
            {
                "day" => "DAY",
                "hour" => "HOUR",
                "minute" => "MINUTE",
                "second" => "SECOND",
                _ => null,
            };
            if (unit is not null)
            {
                return amount < 0
                    ? $"({ts} - INTERVAL {(-amount).ToString(CultureInfo.InvariantCulture)} {unit})"
                    : $"({ts} + INTERVAL {amount.ToString(CultureInfo.InvariantCulture)} {unit})";
            }
        }

        throw new SqlTranslationRefusedException($"date modifier '{modifier}' has no faithful DuckDB translation");
    }

    /// <summary>Maps a SQLite strftime format to DuckDB's; both follow C for the codes accepted here.</summary>
    private static string Format(string? format)
    {
        if (format is null)
        {
            throw new SqlTranslationRefusedException("strftime() format must be a string literal");
        }

        var sb = new StringBuilder("'");
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c == '\'')
            {
                sb.Append("''");
                continue;
            }

            if (c != '%')
            {
                sb.Append(c);
                continue;
            }

            if (++i >= format.Length)
            {
                throw new SqlTranslationRefusedException("strftime() format ends with %");
            }

            switch (format[i])
            {
                case 'Y' or 'm' or 'd' or 'H' or 'M' or 'S' or 'j' or 'w' or 'W' or '%':
                    sb.Append('%').Append(format[i]);
                    break;
                case 'f':
                    // SQLite's %f is seconds with milliseconds, SS.SSS.
                    sb.Append("%S.%g");
                    break;
                default:
                    throw new SqlTranslationRefusedException($"strftime() format %{format[i]} has no faithful DuckDB translation");
            }
        }

        return sb.Append('\'').ToString();
    }
}
