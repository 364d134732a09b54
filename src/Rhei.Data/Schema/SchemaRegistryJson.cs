using System.Text.Json;

namespace Rhei.Data.Schema;

/// <summary>
/// The registry in rhei's JSON shape: <c>{"tables":{"name":{"name","arrow_schema":{"fields":[{"name","data_type","nullable"}]},"primary_key":[…]}}}</c>,
/// plus a <c>declared_type</c> per field so that SQLite's spelling survives a round trip.
/// </summary>
internal static class SchemaRegistryJson
{
    public static string SerializeTable(RheiTableSchema schema)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            WriteTable(writer, schema);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public static RheiTableSchema DeserializeTable(string json)
    {
        using var document = JsonDocument.Parse(json);
        return ReadTable(document.RootElement);
    }

    public static byte[] SerializeRegistry(IEnumerable<RheiTableSchema> tables)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", 1);
            writer.WriteStartObject("tables");
            foreach (var table in tables.OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                writer.WritePropertyName(table.Name);
                WriteTable(writer, table);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    public static List<RheiTableSchema> DeserializeRegistry(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        using var document = JsonDocument.ParseValue(ref reader);
        var result = new List<RheiTableSchema>();
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"The registry is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object.");
        }

        if (document.RootElement.TryGetProperty("tables", out var tables))
        {
            foreach (var property in tables.EnumerateObject())
            {
                result.Add(ReadTable(property.Value));
            }
        }

        return result;
    }

    /// <summary>Writes the registry file atomically: a temporary file beside it, then a rename.</summary>
    public static void WriteFileAtomically(string path, IEnumerable<RheiTableSchema> tables)
    {
        var full = Path.GetFullPath(path);

        var temporary = full + "." + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                file.Write(SerializeRegistry(tables));
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    private static void WriteTable(Utf8JsonWriter writer, RheiTableSchema schema)
    {
        writer.WriteStartObject();
        writer.WriteString("name", schema.Name);
        writer.WriteStartObject("arrow_schema");
        writer.WriteStartArray("fields");
        foreach (var column in schema.Columns)
        {
            writer.WriteStartObject();
            writer.WriteString("name", column.Name);
            writer.WriteString("data_type", SqliteTypeMapper.ToArrowName(column.DeclaredType));
            writer.WriteBoolean("nullable", column.IsNullable);
            writer.WriteString("declared_type", column.DeclaredType);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteStartArray("primary_key");
        foreach (var key in schema.PrimaryKey)
        {
            writer.WriteStringValue(key);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static RheiTableSchema ReadTable(JsonElement element)
    {
        var name = element.GetProperty("name").GetString() ?? throw new FormatException("A registry table has no name.");
        var columns = new List<RheiColumn>();
        foreach (var field in element.GetProperty("arrow_schema").GetProperty("fields").EnumerateArray())
        {
            var columnName = field.GetProperty("name").GetString() ?? throw new FormatException($"A column of '{name}' has no name.");
            var declared = field.TryGetProperty("declared_type", out var d) && d.ValueKind == JsonValueKind.String
                ? d.GetString()!
                : SqliteTypeMapper.FromArrowName(field.GetProperty("data_type").ValueKind == JsonValueKind.String ? field.GetProperty("data_type").GetString()! : "Utf8");
            var nullable = !field.TryGetProperty("nullable", out var n) || n.ValueKind != JsonValueKind.False;
            columns.Add(new RheiColumn(columnName, declared, nullable));
        }

        var keys = element.GetProperty("primary_key").EnumerateArray().Select(k => k.GetString()!).ToList();
        return new RheiTableSchema(name, columns, keys);
    }
}
