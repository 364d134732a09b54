using System.Globalization;
using System.Text;

namespace Rhei.Data.Olap;

/// <summary>
/// Text forms of DuckDB temporal values as Rhei's SQLite-compatible reader returns them: ISO dates,
/// <c>HH:mm:ss</c> with a fraction only when non-zero, and DuckDB's own interval spelling.
/// </summary>
internal static class DuckDbTextFormat
{
    // DuckDB's ±infinity for DATE and for every TIMESTAMP flavour.
    public const int DateInfinity = int.MaxValue;
    public const long TimestampInfinity = long.MaxValue;

    public static string FormatDate(int days)
    {
        if (days == DateInfinity)
        {
            return "infinity";
        }

        if (days == -DateInfinity)
        {
            return "-infinity";
        }

        var builder = new StringBuilder(10);
        AppendDate(builder, days);
        return builder.ToString();
    }

    /// <summary>Time of day from a count of <paramref name="unitsPerSecond"/> units since midnight.</summary>
    public static string FormatTime(long value, long unitsPerSecond)
    {
        var builder = new StringBuilder(15);
        AppendTime(builder, value, unitsPerSecond);
        return builder.ToString();
    }

    /// <summary><c>yyyy-MM-dd HH:mm:ss[.fff]</c> from a count of units since the Unix epoch (UTC for TIMESTAMPTZ).</summary>
    public static string FormatTimestamp(long value, long unitsPerSecond)
    {
        if (value == TimestampInfinity)
        {
            return "infinity";
        }

        if (value == -TimestampInfinity)
        {
            return "-infinity";
        }

        long unitsPerDay = unitsPerSecond * 86_400;
        long days = Math.DivRem(value, unitsPerDay, out long remainder);
        if (remainder < 0)
        {
            days--;
            remainder += unitsPerDay;
        }

        var builder = new StringBuilder(26);
        AppendDate(builder, days);
        builder.Append(' ');
        AppendTime(builder, remainder, unitsPerSecond);
        return builder.ToString();
    }

    /// <summary>DuckDB's interval text, e.g. <c>1 year 2 months 3 days 04:05:06.5</c>.</summary>
    public static string FormatInterval(int months, int days, long micros)
    {
        var builder = new StringBuilder();
        int years = months / 12;
        months -= years * 12;
        AppendPart(builder, years, "year");
        AppendPart(builder, months, "month");
        AppendPart(builder, days, "day");
        if (micros != 0 || builder.Length == 0)
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            if (micros < 0)
            {
                builder.Append('-');
                micros = -micros;
            }

            long totalSeconds = Math.DivRem(micros, DuckDbValueConversions.MicrosPerSecond, out long fraction);
            long hours = totalSeconds / 3600;
            builder.Append(hours.ToString("D2", CultureInfo.InvariantCulture)).Append(':')
                .Append((totalSeconds / 60 % 60).ToString("D2", CultureInfo.InvariantCulture)).Append(':')
                .Append((totalSeconds % 60).ToString("D2", CultureInfo.InvariantCulture));
            if (fraction != 0)
            {
                builder.Append('.').Append(fraction.ToString("D6", CultureInfo.InvariantCulture).TrimEnd('0'));
            }
        }

        return builder.ToString();
    }

    private static void AppendPart(StringBuilder builder, int value, string unit)
    {
        if (value == 0)
        {
            return;
        }

        if (builder.Length > 0)
        {
            builder.Append(' ');
        }

        builder.Append(value.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(unit);
        if (value != 1 && value != -1)
        {
            builder.Append('s');
        }
    }

    private static void AppendDate(StringBuilder builder, long days)
    {
        // Proleptic Gregorian civil date from days since 1970-01-01 (H. Hinnant's algorithm); DuckDB's range
        // is wider than DateOnly's, so DateOnly is not used here.
        long z = days + 719_468;
        long era = (z >= 0 ? z : z - 146_096) / 146_097;
        long dayOfEra = z - (era * 146_097);
        long yearOfEra = (dayOfEra - (dayOfEra / 1460) + (dayOfEra / 36_524) - (dayOfEra / 146_096)) / 365;
        long dayOfYear = dayOfEra - ((365 * yearOfEra) + (yearOfEra / 4) - (yearOfEra / 100));
        long mp = ((5 * dayOfYear) + 2) / 153;
        long day = dayOfYear - (((153 * mp) + 2) / 5) + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = (yearOfEra + (era * 400)) + (month <= 2 ? 1 : 0);

        builder.Append(year.ToString("D4", CultureInfo.InvariantCulture)).Append('-')
            .Append(month.ToString("D2", CultureInfo.InvariantCulture)).Append('-')
            .Append(day.ToString("D2", CultureInfo.InvariantCulture));
    }

    private static void AppendTime(StringBuilder builder, long value, long unitsPerSecond)
    {
        long totalSeconds = Math.DivRem(value, unitsPerSecond, out long fraction);
        builder.Append((totalSeconds / 3600).ToString("D2", CultureInfo.InvariantCulture)).Append(':')
            .Append((totalSeconds / 60 % 60).ToString("D2", CultureInfo.InvariantCulture)).Append(':')
            .Append((totalSeconds % 60).ToString("D2", CultureInfo.InvariantCulture));
        if (fraction == 0)
        {
            return;
        }

        // SQLite writes milliseconds; finer precision is kept only when present, trimmed of trailing zeros.
        int digits = unitsPerSecond switch { 1_000 => 3, 1_000_000 => 6, _ => 9 };
        long unitsPerMilli = unitsPerSecond / 1_000;
        builder.Append('.');
        if (fraction % unitsPerMilli == 0)
        {
            builder.Append((fraction / unitsPerMilli).ToString("D3", CultureInfo.InvariantCulture));
        }
        else
        {
            builder.Append(fraction.ToString("D" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture).TrimEnd('0'));
        }
    }
}
