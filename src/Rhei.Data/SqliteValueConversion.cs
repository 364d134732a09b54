using System.Globalization;
using System.Text;

namespace Rhei.Data;

/// <summary>
/// Converts a value in one of SQLite's storage classes (<see cref="long"/>, <see cref="double"/>,
/// <see cref="string"/>, <see cref="byte"/>[], <see cref="DBNull"/>) to the CLR type a typed getter asks
/// for, by the same rules as Microsoft.Data.Sqlite, so that a DuckDB-answered reader converts exactly
/// as a SQLite one would.
/// </summary>
internal static class SqliteValueConversion
{
    // Julian day of 0001-01-01T00:00:00, the origin of DateTime ticks.
    private const double JulianDayOfDateTimeMinValue = 1721425.5;

    public static long ToInt64(object value) => value switch
    {
        long l => l,
        double d => double.IsNaN(d) ? 0 : d >= long.MaxValue ? long.MaxValue : d <= long.MinValue ? long.MinValue : (long)d,
        string s => ParseIntegerPrefix(s),
        byte[] b => ParseIntegerPrefix(Encoding.UTF8.GetString(b)),
        _ => throw NullValue(),
    };

    public static double ToDouble(object value) => value switch
    {
        double d => d,
        long l => l,
        string s => ParseRealPrefix(s),
        byte[] b => ParseRealPrefix(Encoding.UTF8.GetString(b)),
        _ => throw NullValue(),
    };

    public static string ToText(object value) => value switch
    {
        string s => s,
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FormatReal(d),
        byte[] b => Encoding.UTF8.GetString(b),
        _ => throw NullValue(),
    };

    public static byte[] ToBlob(object value) => value switch
    {
        byte[] b => b,
        DBNull => throw NullValue(),
        _ => Encoding.UTF8.GetBytes(ToText(value)),
    };

    public static char ToChar(object value) => value switch
    {
        string s when s.Length > 0 => s[0],
        string => throw new InvalidCastException("Cannot read an empty string as a char."),
        _ => checked((char)ToInt64(value)),
    };

    public static decimal ToDecimal(object value)
        => decimal.Parse(ToText(value), NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);

    public static DateTime ToDateTime(object value) => value switch
    {
        long or double => FromJulianDay(ToDouble(value)),
        _ => DateTime.Parse(ToText(value), CultureInfo.InvariantCulture),
    };

    public static DateTimeOffset ToDateTimeOffset(object value) => value switch
    {
        long or double => new DateTimeOffset(FromJulianDay(ToDouble(value)), TimeSpan.Zero),
        _ => DateTimeOffset.Parse(ToText(value), CultureInfo.InvariantCulture),
    };

    public static TimeSpan ToTimeSpan(object value) => value switch
    {
        long or double => TimeSpan.FromDays(ToDouble(value)),
        _ => TimeSpan.Parse(ToText(value), CultureInfo.InvariantCulture),
    };

    public static TimeOnly ToTimeOnly(object value) => value switch
    {
        long or double => TimeOnly.FromTimeSpan(TimeSpan.FromDays(ToDouble(value))),
        _ => TimeOnly.Parse(ToText(value), CultureInfo.InvariantCulture),
    };

    public static Guid ToGuid(object value) => value switch
    {
        byte[] { Length: 16 } b => new Guid(b),
        _ => Guid.Parse(ToText(value)),
    };

    /// <summary>SQLite's text form of a REAL (<c>%!.15g</c>): at most 15 significant digits, always with a decimal point or exponent.</summary>
    public static string FormatReal(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            return "Inf";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "-Inf";
        }

        var text = value.ToString("G15", CultureInfo.InvariantCulture);
        var exponent = text.IndexOf('E', StringComparison.Ordinal);
        if (exponent >= 0)
        {
            var mantissa = text[..exponent];
            if (!mantissa.Contains('.', StringComparison.Ordinal))
            {
                mantissa += ".0";
            }

            var exp = int.Parse(text[(exponent + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            return $"{mantissa}e{(exp < 0 ? "-" : "+")}{Math.Abs(exp):00}";
        }

        return text.Contains('.', StringComparison.Ordinal) ? text : text + ".0";
    }

    private static DateTime FromJulianDay(double julianDay)
        => new DateTime(1, 1, 1).AddTicks((long)Math.Round((julianDay - JulianDayOfDateTimeMinValue) * TimeSpan.TicksPerDay / 10_000.0) * 10_000);

    // SQLite converts text to a number by its longest numeric prefix ('12abc' -> 12, 'abc' -> 0).
    private static long ParseIntegerPrefix(string text)
    {
        var span = text.AsSpan().Trim();
        var end = 0;
        if (end < span.Length && span[end] is '+' or '-')
        {
            end++;
        }

        while (end < span.Length && char.IsAsciiDigit(span[end]))
        {
            end++;
        }

        if (end < span.Length && span[end] is '.' or 'e' or 'E')
        {
            var real = ParseRealPrefix(text);
            return real >= long.MaxValue ? long.MaxValue : real <= long.MinValue ? long.MinValue : (long)real;
        }

        return long.TryParse(span[..end], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var result)
            ? result
            : end > 1 ? (span[0] == '-' ? long.MinValue : long.MaxValue) : 0;
    }

    private static double ParseRealPrefix(string text)
    {
        var span = text.AsSpan().Trim();
        for (var end = span.Length; end > 0; end--)
        {
            if (double.TryParse(span[..end], NumberStyles.Float, CultureInfo.InvariantCulture, out var result))
            {
                return result;
            }
        }

        return 0;
    }

    private static InvalidCastException NullValue()
        => new("The data is NULL. This method can't be called on NULL values. Check using IsDBNull before calling.");
}
