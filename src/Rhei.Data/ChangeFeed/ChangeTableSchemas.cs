using Microsoft.Data.Sqlite;
using Rhei.Data.Schema;

namespace Rhei.Data.ChangeFeed;

/// <summary>
/// The schema to read a logged table's rows with: the registry's, else SQLite's own (a table registered by another process
/// that this engine has not adopted yet still has its rows read), cached for one read.
/// </summary>
internal sealed class ChangeTableSchemas(SqliteConnection connection, Func<string, TableSchema?> registered)
{
    private readonly Dictionary<string, TableSchema?> _cache = new(StringComparer.OrdinalIgnoreCase);

    public TableSchema? Of(string table)
    {
        if (!_cache.TryGetValue(table, out var schema))
        {
            schema = registered(table);
            if (schema is null && SqliteSchemaReader.Read(connection, table) is { PrimaryKey.Count: > 0 and <= TableSchema.MaxKeyColumns } definition)
            {
                schema = new TableSchema(definition);
            }

            _cache[table] = schema;
        }

        return schema;
    }
}
