using System.Data.Common;
using System.Globalization;
using System.Text;
using Rhei.Data.Olap;

namespace Rhei.Data.Benchmarks.Data;

/// <summary>
/// Reads a whole result and reduces it to comparable text (doubles to 6 significant digits, since engines
/// sum in different orders), so every timed query also proves both engines gave the same answer.
/// </summary>
internal static class ResultDigest
{
    public static string Read(DbDataReader reader)
    {
        var text = new StringBuilder();
        while (reader.Read())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                Append(text, reader.IsDBNull(i) ? null : reader.GetValue(i));
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    public static string Read(DuckDbResultReader reader)
    {
        var text = new StringBuilder();
        while (reader.Read())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                Append(text, reader.IsDBNull(i) ? null : reader.GetSqliteValue(i));
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static void Append(StringBuilder text, object? value)
    {
        text.Append(value switch
        {
            null => "NULL",
            double d => d.ToString("G6", CultureInfo.InvariantCulture),
            float f => ((double)f).ToString("G6", CultureInfo.InvariantCulture),
            decimal m => ((double)m).ToString("G6", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        }).Append('|');
    }
}
