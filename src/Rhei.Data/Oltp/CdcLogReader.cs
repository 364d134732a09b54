using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Rhei.Data.Schema;

namespace Rhei.Data.Oltp;

/// <summary>
/// Reads a batch of change events after a watermark and, in the same read transaction, the rows
/// they point at, so that log and rows agree; compacts destructive changes per key.
/// </summary>
internal static class CdcLogReader
{
    private static readonly string s_keyList = string.Join(", ", ReplicationTables.KeyColumns);

    /// <param name="connection">An open connection of the engine's own.</param>
    /// <param name="watermark">Events up to and including this sequence number are applied already.</param>
    /// <param name="batchSize">Most events to read.</param>
    /// <param name="resolve">The schema of a table to capture, or null for a table to skip (unknown or quarantined).</param>
    /// <param name="floor">Per table, the sequence number its last full load covers: older events are in the mirror already.</param>
    /// <param name="mode">Whether the mirror keeps current rows or history.</param>
    public static ChangeBatch Read(
        SqliteConnection connection,
        long watermark,
        int batchSize,
        Func<string, TableSchema?> resolve,
        Func<string, long> floor,
        RheiSyncMode mode)
    {
        var batch = new ChangeBatch(watermark) { ToInclusive = watermark };
        using var transaction = connection.BeginTransaction(deferred: true);
        batch.RegistryVersion = SchemaRegistry.ReadVersion(connection, transaction);

        // Destructive: table → key → (first op, last op), in first-seen order.
        var pending = new Dictionary<string, Dictionary<object?[], (char First, char Last)>>(StringComparer.OrdinalIgnoreCase);
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = $"SELECT seq, tbl, op, {s_keyList}, ts, img FROM {ReplicationTables.CdcLog} WHERE seq > $from ORDER BY seq LIMIT $limit";
            command.Parameters.AddWithValue("$from", watermark);
            command.Parameters.AddWithValue("$limit", batchSize);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var seq = reader.GetInt64(0);
                var tableName = reader.GetString(1);
                var op = reader.GetString(2)[0];
                batch.ToInclusive = seq;
                batch.EventCount++;

                var schema = resolve(tableName);
                if (schema is null)
                {
                    batch.UnknownTables.Add(tableName);
                    continue;
                }

                if (seq <= floor(schema.Name))
                {
                    continue;
                }

                if (!batch.Tables.TryGetValue(schema.Name, out var changes))
                {
                    changes = new TableChanges(schema);
                    batch.Tables.Add(schema.Name, changes);
                }

                if (changes.QuarantineReason is not null)
                {
                    continue;
                }

                var key = new object?[schema.KeyOrdinals.Count];
                for (var k = 0; k < key.Length; k++)
                {
                    key[k] = Normalize(reader.GetValue(3 + k));
                }

                if (mode == RheiSyncMode.Temporal)
                {
                    ReadVersion(reader, schema, changes, op, key);
                    continue;
                }

                if (!pending.TryGetValue(schema.Name, out var keys))
                {
                    keys = new Dictionary<object?[], (char, char)>(RowKeyComparer.Instance);
                    pending.Add(schema.Name, keys);
                }

                keys[key] = keys.TryGetValue(key, out var seen) ? (seen.First, op) : (op, op);
            }
        }

        foreach (var (tableName, keys) in pending)
        {
            var changes = batch.Tables[tableName];
            if (changes.QuarantineReason is null)
            {
                ReadRows(connection, transaction, batch, changes, keys);
            }
        }

        transaction.Commit();
        return batch;
    }

    private static void ReadRows(SqliteConnection connection, SqliteTransaction transaction, ChangeBatch batch, TableChanges changes, Dictionary<object?[], (char First, char Last)> keys)
    {
        var schema = changes.Schema;
        var join = string.Join(" AND ", schema.KeyOrdinals.Select((ordinal, k) => "t." + schema.QuotedColumns[ordinal] + " = l." + ReplicationTables.KeyColumns[k]));
        using var command = connection.CreateCommand();
        command.Transaction = transaction;

        // One set-based read of the current rows of every key the batch touched; the key
        // comparison puts the table's column first so its collation and index apply.
        command.CommandText = $"SELECT {string.Join(", ", schema.QuotedColumns.Select(c => "t." + c))} FROM {ReplicationTables.CdcLog} AS l JOIN {schema.QuotedName} AS t ON {join} WHERE l.seq > $from AND l.seq <= $to AND l.tbl = $tbl";
        command.Parameters.AddWithValue("$from", batch.FromExclusive);
        command.Parameters.AddWithValue("$to", batch.ToInclusive);
        command.Parameters.AddWithValue("$tbl", schema.Name);
        var rows = new Dictionary<object?[], object?[]>(RowKeyComparer.Instance);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var values = new object?[schema.Columns.Count];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = Normalize(reader.GetValue(i));
                }

                var key = new object?[schema.KeyOrdinals.Count];
                for (var k = 0; k < key.Length; k++)
                {
                    key[k] = values[schema.KeyOrdinals[k]];
                }

                if (!rows.TryAdd(key, values))
                {
                    continue;
                }

                if (!CheckRow(schema, values, changes, key))
                {
                    return;
                }
            }
        }

        foreach (var (key, ops) in keys)
        {
            if (rows.TryGetValue(key, out var values))
            {
                var kind = ops.First == 'I' ? RowChangeKind.Insert : RowChangeKind.Update;
                changes.Rows.Add(new RowChange(kind, key, values));
                if (kind == RowChangeKind.Insert)
                {
                    changes.Inserted++;
                }
                else
                {
                    changes.Updated++;
                }
            }
            else if (ops.First != 'I')
            {
                changes.Rows.Add(new RowChange(RowChangeKind.Delete, key, null));
                changes.Deleted++;
            }
            else
            {
                // Inserted and deleted within the batch: the mirror never sees it, but a stale
                // row with this key (left by INSERT OR REPLACE, which fires no delete trigger)
                // must not survive either.
                changes.Rows.Add(new RowChange(RowChangeKind.Delete, key, null));
            }
        }
    }

    private static void ReadVersion(SqliteDataReader reader, TableSchema schema, TableChanges changes, char op, object?[] key)
    {
        var ts = reader.IsDBNull(3 + TableSchema.MaxKeyColumns) ? 0 : reader.GetInt64(3 + TableSchema.MaxKeyColumns);
        object?[]? values = null;
        if (op != 'D')
        {
            var image = reader.IsDBNull(4 + TableSchema.MaxKeyColumns) ? "{}" : reader.GetString(4 + TableSchema.MaxKeyColumns);
            values = ParseImage(schema, image);
            if (!CheckRow(schema, values, changes, key))
            {
                return;
            }
        }

        changes.Versions.Add(new TemporalEvent(op, ts, key, values));
        switch (op)
        {
            case 'I':
                changes.Inserted++;
                break;
            case 'U':
                changes.Updated++;
                break;
            default:
                changes.Deleted++;
                break;
        }
    }

    /// <summary>Checks every value against its mirror column; on a misfit marks the table for quarantine.</summary>
    public static bool CheckRow(TableSchema schema, object?[] values, TableChanges changes, object?[] key)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!SqliteTypeMapper.Holds(schema.MirrorTypes[i], values[i]))
            {
                changes.QuarantineReason = Misfit(schema, i, values[i]);
                changes.OffendingKey = RowKeyComparer.Format(key);
                return false;
            }
        }

        return true;
    }

    public static string Misfit(TableSchema schema, int column, object? value)
        => string.Create(
            CultureInfo.InvariantCulture,
            $"Column '{schema.Columns[column].Name}' (declared '{schema.Columns[column].DeclaredType}', mirrored as {SqliteTypeMapper.ToDuckDb(schema.MirrorTypes[column])}) holds a {StorageClass(value)} value the mirror cannot keep exactly.");

    private static string StorageClass(object? value) => value switch
    {
        long => "INTEGER",
        double => "REAL",
        string => "TEXT",
        byte[] => "BLOB",
        _ => "NULL",
    };

    private static object? Normalize(object value) => value is DBNull ? null : value;

    private static object?[] ParseImage(TableSchema schema, string json)
    {
        var values = new object?[schema.Columns.Count];
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        for (var i = 0; i < values.Length; i++)
        {
            if (root.TryGetProperty(schema.Columns[i].Name, out var element))
            {
                values[i] = FromJson(element);
            }
        }

        return values;
    }

    private static object? FromJson(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                var raw = element.GetRawText();
                if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0 && element.TryGetInt64(out var l))
                {
                    return l;
                }

                return double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
            case JsonValueKind.Object when element.TryGetProperty("$b", out var hex):
                return Convert.FromHexString(hex.GetString() ?? string.Empty);
            case JsonValueKind.True:
                return 1L;
            case JsonValueKind.False:
                return 0L;
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                return null;
            default:
                return element.GetRawText();
        }
    }
}
