using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Rhei.Data.Oltp;
using Rhei.Data.Schema;

namespace Rhei.Data.ChangeFeed;

/// <summary>
/// Reads change events one by one, uncompacted, from <c>_rhei_cdc_log</c> with the row image after each change, all in one
/// read transaction so events and rows agree. Destructive capture logs keys only: the image is the row as this read's
/// snapshot sees it (the latest version at the time of the read, not necessarily the one the event wrote). Temporal
/// capture logs the image the trigger wrote, which is the version itself. Used by the bridge (to move events out of
/// SQLite) and by the change feed when there is no bridge.
/// </summary>
internal static class CapturedEventReader
{
    private static readonly string s_keyList = string.Join(", ", ReplicationTables.KeyColumns);

    public static CapturedEvents Read(SqliteConnection connection, long after, int limit, Func<string, TableSchema?> schemaOf, RheiSyncMode mode)
    {
        var result = new CapturedEvents(after);
        using var transaction = connection.BeginTransaction(deferred: true);
        result.HighWater = ReplicationTables.MaxSequence(connection, transaction);
        result.PrunedThrough = ReplicationTables.ReadMeta(connection, CdcLogPruner.PrunedThroughKey, transaction);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        // Per table: the events whose image comes from the table's current row (destructive mode).
        var byTable = new Dictionary<string, (TableSchema Schema, List<int> Events)>(StringComparer.OrdinalIgnoreCase);
        var schemas = new Dictionary<string, TableSchema?>(StringComparer.OrdinalIgnoreCase);
        // One column-name array per schema, shared by its events (the bridge codec and the change feed reuse it too).
        var columnNames = new Dictionary<TableSchema, string[]>(ReferenceEqualityComparer.Instance);
        string? lastTable = null;
        using (var reader = new SqliteRowReader(connection, $"SELECT seq, tbl, op, {s_keyList}, ts, img FROM {ReplicationTables.CdcLog} WHERE seq > $from ORDER BY seq LIMIT $limit"))
        {
            reader.Bind(1, after);
            reader.Bind(2, limit);
            const int tsColumn = 3 + TableSchema.MaxKeyColumns;
            while (reader.Read())
            {
                var seq = reader.GetInt64(0);
                // Consecutive events mostly name the same table: reuse its string rather than decode one per event.
                var tableUtf8 = reader.GetUtf8(1);
                var table = lastTable is not null && Utf8Equals(tableUtf8, lastTable) ? lastTable : reader.GetString(1);
                lastTable = table;
                var op = (char)reader.GetUtf8(2)[0];
                if (!schemas.TryGetValue(table, out var schema))
                {
                    schema = schemaOf(table);
                    schemas[table] = schema;
                }

                var keyCount = schema?.KeyOrdinals.Count ?? CountKeys(reader);
                var key = new object?[keyCount];
                var nullKey = false;
                for (var k = 0; k < keyCount; k++)
                {
                    key[k] = reader.GetValue(3 + k);
                    nullKey |= key[k] is null;
                }

                var ts = reader.IsNull(tsColumn) ? now : reader.GetInt64(tsColumn);
                object?[]? values = null;
                if (schema is not null && op != 'D' && mode == RheiSyncMode.Temporal)
                {
                    values = reader.IsNull(tsColumn + 1) ? new object?[schema.Columns.Count] : Oltp.CdcLogReader.ParseImage(schema, reader.GetUtf8(tsColumn + 1));
                }
                else if (schema is not null && !nullKey && mode == RheiSyncMode.Destructive)
                {
                    if (!byTable.TryGetValue(schema.Name, out var entry))
                    {
                        entry = (schema, new List<int>());
                        byTable.Add(schema.Name, entry);
                    }

                    entry.Events.Add(result.Events.Count);
                }

                string[]? names = null;
                if (schema is not null && !columnNames.TryGetValue(schema, out names))
                {
                    names = schema.Columns.Select(c => c.Name).ToArray();
                    columnNames.Add(schema, names);
                }

                result.Events.Add(new CapturedEvent(seq, ts, table, op, key, names, values));
            }
        }

        foreach (var (schema, index) in byTable.Values)
        {
            ReadRows(connection, result, schema, index);
        }

        transaction.Commit();
        return result;
    }

    /// <summary>Whether <paramref name="utf8"/> spells <paramref name="text"/> (table names are short; ASCII is the common case).</summary>
    private static bool Utf8Equals(ReadOnlySpan<byte> utf8, string text)
    {
        if (utf8.Length != text.Length)
        {
            return System.Text.Encoding.UTF8.GetString(utf8) == text;
        }

        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] >= 0x80)
            {
                return System.Text.Encoding.UTF8.GetString(utf8) == text;
            }

            if (utf8[i] != text[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The key columns a logged event filled, for a table this engine does not know.</summary>
    private static int CountKeys(SqliteRowReader reader)
    {
        var count = TableSchema.MaxKeyColumns;
        while (count > 1 && reader.IsNull(2 + count))
        {
            count--;
        }

        return count;
    }

    /// <summary>
    /// One set-based read of the rows the events point at; an event whose row is gone keeps no image. The join comes back
    /// in sequence order, as <paramref name="events"/> (the indexes of this table's events) are: a merge pairs them.
    /// </summary>
    private static void ReadRows(SqliteConnection connection, CapturedEvents result, TableSchema schema, List<int> events)
    {
        var join = string.Join(" AND ", schema.KeyOrdinals.Select((ordinal, k) => "t." + schema.QuotedColumns[ordinal] + " = l." + ReplicationTables.KeyColumns[k]));
        using var reader = new SqliteRowReader(
            connection,
            $"SELECT l.seq, {string.Join(", ", schema.QuotedColumns.Select(c => "t." + c))} FROM {ReplicationTables.CdcLog} AS l JOIN {schema.QuotedName} AS t ON {join} WHERE l.seq > $from AND l.seq <= $to AND l.tbl = $tbl ORDER BY l.seq");
        reader.Bind(1, result.FromExclusive);
        reader.Bind(2, result.ToInclusive);
        reader.Bind(3, schema.Name);
        var count = schema.Columns.Count;
        var next = 0;
        while (reader.Read())
        {
            var seq = reader.GetInt64(0);
            while (next < events.Count && result.Events[events[next]].Sequence < seq)
            {
                next++;
            }

            if (next == events.Count || result.Events[events[next]].Sequence != seq)
            {
                // A logged event of this table this read does not image (a delete, or a NULL key).
                continue;
            }

            var values = new object?[count];
            for (var i = 0; i < count; i++)
            {
                values[i] = reader.GetValue(i + 1);
            }

            result.Events[events[next]].Values = values;
        }
    }
}
