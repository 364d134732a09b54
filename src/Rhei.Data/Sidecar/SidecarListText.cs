using System.Globalization;
using System.Text;

namespace Rhei.Data.Sidecar;

/// <summary>
/// Writes a CLR array as DuckDB's text form of a list (<c>[1, 2, NULL]</c>, <c>["a", "b\"c"]</c>). The mirror appends
/// it to the list column and DuckDB casts the text to the column's list type, so arrays need no native list values.
/// </summary>
internal static class SidecarListText
{
    public static string Format(Array array)
    {
        var text = new StringBuilder();
        Append(text, array);
        return text.ToString();
    }

    private static void Append(StringBuilder text, object? value)
    {
        switch (value)
        {
            case null or DBNull:
                text.Append("NULL");
                return;
            case byte[] bytes:
                Quoted(text, Convert.ToHexString(bytes));
                return;
            case string s:
                Quoted(text, s);
                return;
            case Array array:
                text.Append('[');
                var first = true;
                foreach (var item in array)
                {
                    if (!first)
                    {
                        text.Append(", ");
                    }

                    first = false;
                    Append(text, item);
                }

                text.Append(']');
                return;
            case bool b:
                text.Append(b ? "true" : "false");
                return;
            case DateTime time:
                Quoted(text, time.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture));
                return;
            case DateTimeOffset instant:
                Quoted(text, instant.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.ffffff+00", CultureInfo.InvariantCulture));
                return;
            case DateOnly date:
                Quoted(text, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                return;
            case TimeOnly time:
                Quoted(text, time.ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture));
                return;
            case double d:
                text.Append(d.ToString("R", CultureInfo.InvariantCulture));
                return;
            case float f:
                text.Append(f.ToString("R", CultureInfo.InvariantCulture));
                return;
            case IFormattable formattable:
                var formatted = formattable.ToString(null, CultureInfo.InvariantCulture);
                if (value is Guid)
                {
                    Quoted(text, formatted);
                }
                else
                {
                    text.Append(formatted);
                }

                return;
            default:
                Quoted(text, value.ToString() ?? string.Empty);
                return;
        }
    }

    private static void Quoted(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        text.Append('"');
    }
}
