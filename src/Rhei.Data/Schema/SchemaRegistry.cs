using Microsoft.Data.Sqlite;

namespace Rhei.Data.Schema;

/// <summary>
/// The replicated tables, kept in the SQLite file (<c>_rhei_schema_registry</c>, beside the
/// triggers it describes, so both change in one transaction) and mirrored in memory. Every
/// change bumps <c>registry_version</c> in <c>_rhei_meta</c> so that other processes notice.
/// </summary>
internal sealed class SchemaRegistry
{
    public const string TableName = "_rhei_schema_registry";

    private readonly object _gate = new();
    private Dictionary<string, TableSchema> _tables = new(StringComparer.OrdinalIgnoreCase);

    public long Version { get; private set; } = -1;

    public IReadOnlyCollection<TableSchema> Tables
    {
        get
        {
            lock (_gate)
            {
                return _tables.Values.OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();
            }
        }
    }

    public IReadOnlyList<string> TableNames => Tables.Select(t => t.Name).ToArray();

    /// <summary>
    /// The tables as of now. Every change replaces the whole map, so the reference itself identifies a schema version:
    /// translations that depend on column types are cached against it.
    /// </summary>
    public IReadOnlyDictionary<string, TableSchema> Snapshot
    {
        get
        {
            lock (_gate)
            {
                return _tables;
            }
        }
    }

    public TableSchema? Find(string table)
    {
        lock (_gate)
        {
            return _tables.GetValueOrDefault(table);
        }
    }

    public TableSchema Get(string table)
        => Find(table) ?? throw new InvalidOperationException($"Table '{table}' is not registered for replication.");

    /// <summary>Replaces the in-memory copy with what the SQLite file holds; returns the rows that could not be read, which are left out.</summary>
    public List<(string Table, string Problem)> Load(SqliteConnection connection)
    {
        var tables = new Dictionary<string, TableSchema>(StringComparer.OrdinalIgnoreCase);
        var damaged = new List<(string Table, string Problem)>();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT tbl, schema_json FROM " + TableName;
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var table = reader.IsDBNull(0) ? string.Empty : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
                try
                {
                    var schema = new TableSchema(SchemaRegistryJson.DeserializeTable(reader.GetString(1)));
                    if (!string.Equals(schema.Name, table, StringComparison.OrdinalIgnoreCase))
                    {
                        throw new FormatException($"the entry describes table '{schema.Name}'");
                    }

                    tables[schema.Name] = schema;
                }
                catch (Exception ex) when (ex is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException or InvalidCastException)
                {
                    damaged.Add((table, ex.Message));
                }
            }
        }

        var version = ReadVersion(connection);
        lock (_gate)
        {
            _tables = tables;
            Version = version;
        }

        return damaged;
    }

    /// <summary>The registry version stored in the file; cheap, for change detection.</summary>
    public static long ReadVersion(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT value FROM _rhei_meta WHERE key = 'registry_version'";
        return command.ExecuteScalar() is long v ? v : 0;
    }

    /// <summary>Stores (or replaces) a table in the file inside the caller's transaction.</summary>
    public static void Save(SqliteConnection connection, SqliteTransaction transaction, RheiTableSchema schema)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO " + TableName + " (tbl, schema_json) VALUES ($tbl, $json) ON CONFLICT (tbl) DO UPDATE SET schema_json = excluded.schema_json";
        command.Parameters.AddWithValue("$tbl", schema.Name);
        command.Parameters.AddWithValue("$json", SchemaRegistryJson.SerializeTable(schema));
        command.ExecuteNonQuery();
        BumpVersion(connection, transaction);
    }

    public static void Delete(SqliteConnection connection, SqliteTransaction transaction, string table)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM " + TableName + " WHERE tbl = $tbl COLLATE NOCASE";
        command.Parameters.AddWithValue("$tbl", table);
        command.ExecuteNonQuery();
        BumpVersion(connection, transaction);
    }

    /// <summary>Updates the in-memory copy after the file transaction committed.</summary>
    public void Set(TableSchema schema)
    {
        lock (_gate)
        {
            var copy = new Dictionary<string, TableSchema>(_tables, StringComparer.OrdinalIgnoreCase) { [schema.Name] = schema };
            _tables = copy;
        }
    }

    public void Remove(string table)
    {
        lock (_gate)
        {
            var copy = new Dictionary<string, TableSchema>(_tables, StringComparer.OrdinalIgnoreCase);
            copy.Remove(table);
            _tables = copy;
        }
    }

    public void SetVersion(long version)
    {
        lock (_gate)
        {
            Version = version;
        }
    }

    /// <summary>Writes the JSON copy when a path is configured.</summary>
    public void WriteJson(string? path)
    {
        if (path is not null)
        {
            SchemaRegistryJson.WriteFileAtomically(path, Tables.Select(t => t.Definition));
        }
    }

    private static void BumpVersion(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO _rhei_meta (key, value) VALUES ('registry_version', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1";
        command.ExecuteNonQuery();
    }
}
