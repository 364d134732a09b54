using Microsoft.Data.Sqlite;
using Rhei.Data.Oltp;
using Rhei.Data.Schema;

namespace Rhei.Data.ChangeFeed;

/// <summary>
/// Reads change events one by one, uncompacted, from <c>_rhei_cdc_log</c> with the row image after each change, all in one
/// read transaction so events and rows agree. Destructive capture logs keys only: the image is the row as this read's
/// snapshot sees it (the latest version at the time of the read, not necessarily the one the event wrote), read with the
/// log itself for the chunk's first table (<see cref="CapturedLogQuery"/>) and by one more joined pass per other table.
/// Temporal capture logs the image the trigger wrote, which is the version itself. Used by the change feed when there is
/// no bridge, and for the part of SQLite's log not bridged yet; the bridge encodes the same read straight into its
/// records (<see cref="Bridge.BridgeChunkWriter"/>).
/// </summary>
internal static class CapturedEventReader
{
    public static CapturedEvents Read(SqliteConnection connection, long after, int limit, Func<string, TableSchema?> schemaOf, RheiSyncMode mode)
    {
        var result = new CapturedEvents(after);
        using var transaction = connection.BeginTransaction(deferred: true);
        result.HighWater = ReplicationTables.MaxSequence(connection, transaction);
        result.PrunedThrough = ReplicationTables.ReadMeta(connection, CdcLogPruner.PrunedThroughKey, transaction);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var first = mode == RheiSyncMode.Destructive ? CapturedLogQuery.FirstTable(connection, after) : null;
        var joined = first is null ? null : schemaOf(first);

        // Destructive: per spelling of a table other than the joined one, the events whose image a second pass reads.
        var deferred = new Dictionary<string, (TableSchema Schema, List<int> Events)>(StringComparer.Ordinal);
        var schemas = new Dictionary<string, TableSchema?>(StringComparer.OrdinalIgnoreCase);
        // One column-name array per schema, shared by its events (the bridge codec and the change feed reuse it too).
        var columnNames = new Dictionary<TableSchema, string[]>(ReferenceEqualityComparer.Instance);
        string? lastTable = null;
        using (var reader = new SqliteRowReader(connection, CapturedLogQuery.Chunk(joined)))
        {
            reader.Bind(1, after);
            reader.Bind(2, limit);
            if (joined is not null)
            {
                reader.Bind(3, first!);
            }

            while (reader.Read())
            {
                var seq = reader.GetInt64(CapturedLogQuery.Sequence);
                // Consecutive events mostly name the same table: reuse its string rather than decode one per event.
                var tableUtf8 = reader.GetUtf8(CapturedLogQuery.Table);
                var table = lastTable is not null && Utf8Equals(tableUtf8, lastTable) ? lastTable : reader.GetString(CapturedLogQuery.Table);
                lastTable = table;
                var op = (char)reader.GetUtf8(CapturedLogQuery.Operation)[0];
                if (!schemas.TryGetValue(table, out var schema))
                {
                    schema = schemaOf(table);
                    schemas[table] = schema;
                }

                var keyCount = schema?.KeyOrdinals.Count ?? CapturedLogQuery.CountKeys(reader);
                var key = new object?[keyCount];
                var nullKey = false;
                for (var k = 0; k < keyCount; k++)
                {
                    key[k] = reader.GetValue(CapturedLogQuery.FirstKey + k);
                    nullKey |= key[k] is null;
                }

                var ts = reader.IsNull(CapturedLogQuery.Time) ? now : reader.GetInt64(CapturedLogQuery.Time);
                object?[]? values = null;
                if (schema is not null && op != 'D' && mode == RheiSyncMode.Temporal)
                {
                    values = reader.IsNull(CapturedLogQuery.Image) ? new object?[schema.Columns.Count] : CdcLogReader.ParseImage(schema, reader.GetUtf8(CapturedLogQuery.Image));
                }
                else if (schema is not null && !nullKey && mode == RheiSyncMode.Destructive)
                {
                    if (joined is not null && string.Equals(table, first, StringComparison.Ordinal))
                    {
                        values = CapturedLogQuery.HasJoinedRow(reader, joined) ? ReadJoined(reader, joined.Columns.Count) : null;
                    }
                    else
                    {
                        if (!deferred.TryGetValue(table, out var entry))
                        {
                            entry = (schema, new List<int>());
                            deferred.Add(table, entry);
                        }

                        entry.Events.Add(result.Events.Count);
                    }
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

        foreach (var (spelling, (schema, events)) in deferred)
        {
            ReadRows(connection, result, schema, spelling, events);
        }

        transaction.Commit();
        return result;
    }

    private static object?[] ReadJoined(SqliteRowReader reader, int count)
    {
        var values = new object?[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = reader.GetValue(CapturedLogQuery.FirstJoined + i);
        }

        return values;
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

    /// <summary>
    /// The rows of one other table's events, in one joined pass over the chunk; an event whose row is gone keeps no image.
    /// The pass comes back in sequence order, as <paramref name="events"/> (the indexes of this spelling's events) are: a
    /// merge pairs them.
    /// </summary>
    private static void ReadRows(SqliteConnection connection, CapturedEvents result, TableSchema schema, string spelling, List<int> events)
    {
        using var reader = new SqliteRowReader(connection, CapturedLogQuery.OneTable(schema));
        reader.Bind(1, result.FromExclusive);
        reader.Bind(2, result.ToInclusive);
        reader.Bind(3, spelling);
        var next = 0;
        while (reader.Read())
        {
            var seq = reader.GetInt64(CapturedLogQuery.Sequence);
            while (next < events.Count && result.Events[events[next]].Sequence < seq)
            {
                next++;
            }

            if (next == events.Count || result.Events[events[next]].Sequence != seq || !CapturedLogQuery.HasJoinedRow(reader, schema))
            {
                // An event this read does not image (a NULL key), or whose row is gone.
                continue;
            }

            result.Events[events[next]].Values = ReadJoined(reader, schema.Columns.Count);
        }
    }
}
