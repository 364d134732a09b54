using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Rhei.Data.Sidecar.PostgreSql;

/// <summary>
/// The position of the PostgreSQL timestamp capture: per table, the compound watermark <c>(updated_at, key…)</c> of
/// the last row applied, each part as PostgreSQL prints it (<c>::text</c> under <c>DateStyle=ISO</c>,
/// <c>TimeZone=UTC</c>), so it casts back to the column's type exactly. Written as JSON:
/// <c>{"orders":{"t":"2026-12-01 10:00:00.5+00","k":["42"]}}</c>. A table absent from it has no rows applied yet.
/// </summary>
internal sealed class PostgreSqlWatermarks
{
    private readonly SortedDictionary<string, (string Timestamp, string[] Key)> _tables;

    private PostgreSqlWatermarks(SortedDictionary<string, (string Timestamp, string[] Key)> tables) => _tables = tables;

    public static PostgreSqlWatermarks Empty() => new(new(StringComparer.Ordinal));

    public bool TryGet(string table, out string timestamp, out string[] key)
    {
        var found = _tables.TryGetValue(table, out var watermark);
        (timestamp, key) = found ? watermark : ("", []);
        return found;
    }

    public void Set(string table, string timestamp, string[] key) => _tables[table] = (timestamp, key);

    public static PostgreSqlWatermarks Parse(SidecarPosition position)
    {
        var watermarks = Empty();
        if (position.Value.Length == 0)
        {
            return watermarks;
        }

        try
        {
            using var document = JsonDocument.Parse(position.Value);
            foreach (var table in document.RootElement.EnumerateObject())
            {
                var timestamp = table.Value.GetProperty("t").GetString() ?? "";
                var key = table.Value.GetProperty("k").EnumerateArray().Select(k => k.GetString() ?? "").ToArray();
                watermarks.Set(table.Name, timestamp, key);
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw PostgreSqlErrors.Refuse("the stored sidecar position is not a PostgreSQL timestamp watermark (was the mirror made with another Sidecar Capture?)");
        }

        return watermarks;
    }

    public SidecarPosition ToPosition()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            foreach (var (table, (timestamp, key)) in _tables)
            {
                writer.WriteStartObject(table);
                writer.WriteString("t", timestamp);
                writer.WriteStartArray("k");
                foreach (var part in key)
                {
                    writer.WriteStringValue(part);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return new SidecarPosition(Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>
    /// Whether <paramref name="applied"/> is at or past <paramref name="target"/> for every table of the target.
    /// Timestamps compare as instants; key parts as integers when both parse as one, ordinally otherwise (a
    /// string key that collates differently in PostgreSQL may make a Strong read wait one more cycle, never less).
    /// </summary>
    public static bool Covers(PostgreSqlWatermarks applied, PostgreSqlWatermarks target)
    {
        foreach (var (table, (timestamp, key)) in target._tables)
        {
            if (!applied.TryGet(table, out var appliedTimestamp, out var appliedKey))
            {
                return false;
            }

            var order = CompareTimestamps(appliedTimestamp, timestamp);
            for (var i = 0; order == 0 && i < Math.Min(key.Length, appliedKey.Length); i++)
            {
                order = long.TryParse(appliedKey[i], CultureInfo.InvariantCulture, out var a) && long.TryParse(key[i], CultureInfo.InvariantCulture, out var b)
                    ? a.CompareTo(b)
                    : string.CompareOrdinal(appliedKey[i], key[i]);
            }

            if (order < 0)
            {
                return false;
            }
        }

        return true;
    }

    private static int CompareTimestamps(string a, string b)
    {
        // PostgreSQL's ISO text: "2026-12-01 10:00:00.5+00" (timestamptz) or without the offset (timestamp).
        static DateTimeOffset? Parse(string text)
            => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : null;

        return (Parse(a), Parse(b)) is ({ } x, { } y) ? x.CompareTo(y) : string.CompareOrdinal(a, b);
    }
}
