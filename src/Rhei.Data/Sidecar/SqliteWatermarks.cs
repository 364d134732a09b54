using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rhei.Data.Sidecar;

/// <summary>
/// The position of a timestamp-captured SQLite source: per table the compound watermark <c>(updated_at, key…)</c> of
/// the last row applied, written as a JSON object <c>{"users":[1000,2]}</c>. Rows are polled strictly after it in that
/// order, so rows sharing one timestamp are neither skipped nor read twice. A table without an entry has had no row
/// with a timestamp yet. Values keep SQLite's storage classes (integer, real, text; a blob as <c>{"$b":"base64"}</c>)
/// so the comparison SQLite makes with the stored value is the one it made with the row.
/// </summary>
internal sealed class SqliteWatermarks
{
    private readonly Dictionary<string, object?[]> _tables;

    private SqliteWatermarks(Dictionary<string, object?[]> tables) => _tables = tables;

    public static SqliteWatermarks Empty() => new(new Dictionary<string, object?[]>(StringComparer.OrdinalIgnoreCase));

    public object?[]? this[string table] => _tables.GetValueOrDefault(table);

    public static SqliteWatermarks Parse(SidecarPosition position)
    {
        var tables = new Dictionary<string, object?[]>(StringComparer.OrdinalIgnoreCase);
        if (position.Value.Length == 0)
        {
            return new(tables);
        }

        try
        {
            var root = JsonNode.Parse(position.Value)?.AsObject() ?? throw new FormatException("not a JSON object");
            foreach (var (table, node) in root)
            {
                tables[table] = node!.AsArray().Select(ReadValue).ToArray();
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or NullReferenceException)
        {
            throw RheiException.Provider($"The stored sidecar position '{position.Value}' is not a SQLite timestamp watermark ({ex.Message}); delete the DuckDB mirror file to rebuild it.", ex);
        }

        return new(tables);
    }

    public SqliteWatermarks With(string table, object?[] watermark)
    {
        var copy = new Dictionary<string, object?[]>(_tables, StringComparer.OrdinalIgnoreCase) { [table] = watermark };
        return new(copy);
    }

    public SidecarPosition ToPosition()
    {
        var root = new JsonObject();
        foreach (var (table, values) in _tables.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            root[table] = new JsonArray(values.Select(WriteValue).ToArray());
        }

        return new SidecarPosition(root.ToJsonString());
    }

    /// <summary>Whether every table's watermark in this is at or past its watermark in <paramref name="target"/>.</summary>
    public bool Covers(SqliteWatermarks target)
        => target._tables.All(t => _tables.TryGetValue(t.Key, out var mine) && Compare(mine, t.Value) >= 0);

    /// <summary>Compares two compound watermarks as SQLite compares row values: NULL, then numbers, then text, then blobs.</summary>
    public static int Compare(object?[] a, object?[] b)
    {
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var c = CompareValue(a[i], b[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return a.Length.CompareTo(b.Length);
    }

    public static string Describe(object?[] watermark)
        => "(" + string.Join(", ", watermark.Select(v => v switch
        {
            null => "NULL",
            string s => "'" + s + "'",
            byte[] b => "x'" + Convert.ToHexString(b) + "'",
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => v.ToString(),
        })) + ")";

    private static int CompareValue(object? a, object? b)
    {
        var (ca, cb) = (Class(a), Class(b));
        if (ca != cb)
        {
            return ca.CompareTo(cb);
        }

        return a switch
        {
            null => 0,
            long la when b is long lb => la.CompareTo(lb),
            string sa => string.CompareOrdinal(sa, (string)b!),
            byte[] ba => ba.AsSpan().SequenceCompareTo((byte[])b!),
            _ => Convert.ToDouble(a, System.Globalization.CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(b, System.Globalization.CultureInfo.InvariantCulture)),
        };
    }

    private static int Class(object? value) => value switch
    {
        null => 0,
        long or double => 1,
        string => 2,
        _ => 3,
    };

    private static object? ReadValue(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject blob when blob["$b"] is JsonValue b:
                return Convert.FromBase64String(b.GetValue<string>());
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return value.GetValue<string>();
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                return value.TryGetValue<long>(out var whole) ? whole : value.GetValue<double>();
            default:
                throw new FormatException($"unexpected watermark value {node.ToJsonString()}");
        }
    }

    private static JsonNode? WriteValue(object? value) => value switch
    {
        null => null,
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        string s => JsonValue.Create(s),
        byte[] b => new JsonObject { ["$b"] = Convert.ToBase64String(b) },
        _ => throw new InvalidOperationException($"A SQLite watermark cannot hold a {value.GetType().Name}."),
    };
}
