using Microsoft.Data.Sqlite;
using Rhei.Data.Olap;
using Rhei.Data.Schema;
using Rhei.Data.Sync;

namespace Rhei.Data.Oltp;

/// <summary>
/// Reads a batch of change events after a watermark and, in the same read transaction, the rows
/// they point at, so that log and rows agree; compacts destructive changes per key.
/// </summary>
internal static class CdcLogReader
{
    private static readonly string s_keyList = string.Join(", ", ReplicationTables.KeyColumns);

    // In the log read with a joined table: seq, tbl, op, the key columns, ts, img, then the table's columns.
    private static readonly int s_joinedOffset = 5 + TableSchema.MaxKeyColumns;

    private static readonly string s_plainLogQuery = LogQuery(null);

    /// <param name="statements">The statements kept prepared for the engine's own reader connection.</param>
    /// <param name="watermark">Events up to and including this sequence number are applied already.</param>
    /// <param name="batchSize">Most events to read.</param>
    /// <param name="resolve">The schema of a table to capture, or null for a table to skip (unknown or quarantined).</param>
    /// <param name="floor">Per table, the sequence number its last full load covers: older events are in the mirror already.</param>
    /// <param name="mode">Whether the mirror keeps current rows or history.</param>
    public static ChangeBatch Read(
        CdcLogStatements statements,
        long watermark,
        int batchSize,
        Func<string, TableSchema?> resolve,
        Func<string, long> floor,
        RheiSyncMode mode)
    {
        try
        {
            // One read transaction for the header, the log and the rows, so that they agree; BEGIN and COMMIT are kept
            // prepared too (Microsoft.Data.Sqlite's transaction prepares both statements anew each time).
            statements.Begin();
            try
            {
                var batch = ReadInTransaction(statements, watermark, batchSize, resolve, floor, mode);
                statements.Commit();
                return batch;
            }
            catch
            {
                statements.Rollback();
                throw;
            }
        }
        catch (SqliteException)
        {
            // A statement may name what is gone now (the log, a table): all are prepared again on the next read.
            statements.Clear();
            throw;
        }
    }

    private static ChangeBatch ReadInTransaction(
        CdcLogStatements statements,
        long watermark,
        int batchSize,
        Func<string, TableSchema?> resolve,
        Func<string, long> floor,
        RheiSyncMode mode)
    {
        var batch = new ChangeBatch(watermark) { ToInclusive = watermark };
        (batch.RegistryVersion, batch.HighWater, batch.PrunedThrough) = statements.ReadHeader();
        statements.UseRegistryVersion(batch.RegistryVersion);

        // Destructive: table → key → (first op, the row as SQLite holds it), in first-seen order. The rows of the
        // batch's first table (batches are mostly runs of one table) come with the log read itself, a LEFT JOIN of each
        // event to its row: one pass over the log and one lookup per event; other tables' rows are read after it.
        var pending = new Dictionary<string, PendingKeys>(StringComparer.OrdinalIgnoreCase);
        var phase = ApplyPhaseTimes.Start();
        var joined = mode == RheiSyncMode.Destructive ? FirstTable(statements, watermark, resolve) : null;
        PendingRowCollector? collector = null;
        var reader = joined is null ? statements.Log(s_plainLogQuery) : statements.Joined(joined, LogQuery);
        try
        {
            reader.Bind(1, watermark);
            reader.Bind(2, batchSize);
            if (joined is not null)
            {
                reader.Bind(3, joined.Name);
            }

            // Batches are mostly runs of one table: its name, schema, floor and key map are looked
            // up when the name changes, not per event.
            byte[] lastName = [];
            var lastKnown = false;
            TableSchema? schema = null;
            TableChanges? changes = null;
            PendingKeys? keys = null;
            long tableFloor = 0;
            while (reader.Read())
            {
                var seq = reader.GetInt64(0);
                if (batch.EventCount == 0)
                {
                    batch.FirstSequence = seq;
                }

                batch.ToInclusive = seq;
                batch.EventCount++;

                var name = reader.Cell(1) is { } nameCell ? nameCell.Utf8 : reader.GetUtf8(1);
                if (!lastKnown || !name.SequenceEqual(lastName))
                {
                    lastName = name.ToArray();
                    lastKnown = true;
                    schema = resolve(reader.GetString(1));
                    tableFloor = schema is null ? 0 : floor(schema.Name);
                    changes = null;
                    keys = null;
                }

                if (schema is null)
                {
                    batch.UnknownTables.Add(reader.GetString(1));
                    continue;
                }

                if (seq <= tableFloor)
                {
                    continue;
                }

                if (changes is null && !batch.Tables.TryGetValue(schema.Name, out changes))
                {
                    changes = new TableChanges(schema);
                    batch.Tables.Add(schema.Name, changes);
                }

                if (changes.QuarantineReason is not null)
                {
                    continue;
                }

                var op = (char)(reader.Cell(2) is { } opCell ? opCell.Utf8 : reader.GetUtf8(2))[0];
                var keyCount = schema.KeyOrdinals.Count;
                if (NullKeyColumn(reader, keyCount) is { } nullKey)
                {
                    // SQLite allows NULL in the key of a rowid table unless it is INTEGER PRIMARY KEY or NOT NULL;
                    // the mirror keys rows by primary key, so such rows cannot be told apart: quarantine, never drop.
                    changes.QuarantineReason = MirrorTypeFit.NullKey(schema, nullKey);
                    changes.OffendingKey = RowKeyComparer.Format(ReadKey(reader, keyCount));
                    continue;
                }

                if (mode == RheiSyncMode.Temporal)
                {
                    ReadVersion(reader, schema, changes, op, keyCount);
                    continue;
                }

                if (keys is null && !pending.TryGetValue(schema.Name, out keys))
                {
                    keys = new PendingKeys(keyCount);
                    pending.Add(schema.Name, keys);
                }

                // Only the first operation matters: it tells an insert from an update or delete.
                var logged = -1;
                long loggedKey = 0;
                if (keyCount == 1 && IntegerAt(reader, 3) is { } integer)
                {
                    logged = keys.Add(integer, op);
                    loggedKey = integer;
                }
                else
                {
                    keys.Add(ReadKey(reader, keyCount), op);
                }

                if (joined is not null && string.Equals(schema.Name, joined.Name, StringComparison.OrdinalIgnoreCase))
                {
                    collector ??= new PendingRowCollector(changes, keys, ImagesOf(changes), s_joinedOffset);
                    collector.TakeJoined(reader, logged, loggedKey);
                }
            }
        }
        finally
        {
            // Kept prepared for the next read: reset, so it holds nothing past this transaction.
            reader.Reset();
        }

        phase = ApplyPhaseTimes.Stop(ApplyPhase.LogRead, phase);
        foreach (var (tableName, keys) in pending)
        {
            var changes = batch.Tables[tableName];
            var rowsRead = joined is not null && string.Equals(tableName, joined.Name, StringComparison.OrdinalIgnoreCase);
            if (changes.QuarantineReason is null && (rowsRead || ReadRows(statements, batch, changes, keys)))
            {
                phase = ApplyPhaseTimes.Stop(ApplyPhase.RowRead, phase);
                changes.TakeNetChanges(keys);
                phase = ApplyPhaseTimes.Stop(ApplyPhase.Compaction, phase);
            }
        }

        return batch;
    }

    /// <summary>The schema of the table of the first event after the watermark, or null (none, or a table to skip).</summary>
    private static TableSchema? FirstTable(CdcLogStatements statements, long watermark, Func<string, TableSchema?> resolve)
    {
        var reader = statements.FirstTable(FirstTableQuery);
        try
        {
            reader.Bind(1, watermark);
            return reader.Read() ? resolve(reader.GetString(0)) : null;
        }
        finally
        {
            reader.Reset();
        }
    }

    private const string FirstTableQuery = $"SELECT tbl FROM {ReplicationTables.CdcLog} WHERE seq > ?1 ORDER BY seq LIMIT 1";

    /// <summary>
    /// The batch's events in order (?1 the watermark, ?2 the batch size); with a table to join, each event's current row of that table after the log's
    /// columns (?3 its name; NULL when the event is another table's or the row is gone). The key comparison puts the table's
    /// column first so its collation and index apply, as in <see cref="ReadRows"/>.
    /// </summary>
    private static string LogQuery(TableSchema? joined)
    {
        if (joined is null)
        {
            return $"SELECT seq, tbl, op, {s_keyList}, ts, img FROM {ReplicationTables.CdcLog} WHERE seq > ?1 ORDER BY seq LIMIT ?2";
        }

        var columns = string.Join(", ", joined.QuotedColumns.Select(c => "t." + c));
        return $"SELECT l.seq, l.tbl, l.op, {string.Join(", ", ReplicationTables.KeyColumns.Select(k => "l." + k))}, l.ts, l.img, {columns} "
            + $"FROM {ReplicationTables.CdcLog} AS l LEFT JOIN {joined.QuotedName} AS t ON l.tbl = ?3 AND {KeyJoin(joined)} "
            + "WHERE l.seq > ?1 ORDER BY l.seq LIMIT ?2";
    }

    private static string KeyJoin(TableSchema schema)
        => string.Join(" AND ", schema.KeyOrdinals.Select((ordinal, k) => "t." + schema.QuotedColumns[ordinal] + " = l." + ReplicationTables.KeyColumns[k]));

    private static int? NullKeyColumn(SqliteRowReader reader, int keyCount)
    {
        for (var k = 0; k < keyCount; k++)
        {
            if (reader.IsNull(3 + k))
            {
                return k;
            }
        }

        return null;
    }

    private static object?[] ReadKey(SqliteRowReader reader, int keyCount)
    {
        var key = new object?[keyCount];
        for (var k = 0; k < key.Length; k++)
        {
            key[k] = reader.GetValue(3 + k);
        }

        return key;
    }

    /// <summary>Reads the current row of every key the batch logged for a table into its entry; false when a row does not fit the mirror.</summary>
    private static bool ReadRows(CdcLogStatements statements, ChangeBatch batch, TableChanges changes, PendingKeys keys)
    {
        var schema = changes.Schema;
        var reader = statements.Rows(schema, RowsQuery);
        try
        {
            reader.Bind(1, batch.FromExclusive);
            reader.Bind(2, batch.ToInclusive);
            reader.Bind(3, schema.Name);
            var collector = new PendingRowCollector(changes, keys, ImagesOf(changes), 0);
            while (reader.Read())
            {
                if (!collector.Take(reader))
                {
                    return false;
                }
            }

            return true;
        }
        finally
        {
            reader.Reset();
        }
    }

    // One set-based read of the current rows of every key the batch touched (?1, ?2 the batch's range, ?3 the table);
    // the key comparison puts the table's column first so its collation and index apply.
    private static string RowsQuery(TableSchema schema)
        => $"SELECT {string.Join(", ", schema.QuotedColumns.Select(c => "t." + c))} FROM {ReplicationTables.CdcLog} AS l JOIN {schema.QuotedName} AS t ON {KeyJoin(schema)} WHERE l.seq > ?1 AND l.seq <= ?2 AND l.tbl = ?3";

    /// <summary>The table's data chunks of new images (made on first use).</summary>
    private static ApplyChunks ImagesOf(TableChanges changes)
        => changes.Images ??= new ApplyChunks(changes.Schema.MirrorTypes.ToArray(), temporal: false);

    private static void ReadVersion(SqliteRowReader reader, TableSchema schema, TableChanges changes, char op, int keyCount)
    {
        // A single INTEGER key is kept as a long (no key array per version); any other key is boxed for the comparer.
        long integerKey = 0;
        object?[]? key = null;
        if (keyCount == 1 && IntegerAt(reader, 3) is { } integer)
        {
            integerKey = integer;
        }
        else
        {
            key = ReadKey(reader, keyCount);
        }

        // One mutex-taking call per cell (the time and the image), as the row reads do; NULL reads as 0.
        const int tsColumn = 3 + TableSchema.MaxKeyColumns, imageColumn = tsColumn + 1;
        var ts = reader.Cell(tsColumn) is { } tsCell ? tsCell.Int64 : reader.IsNull(tsColumn) ? 0 : reader.GetInt64(tsColumn);
        var image = -1;
        if (op != 'D')
        {
            bool noImage;
            ReadOnlySpan<byte> utf8;
            if (reader.Cell(imageColumn) is { } imageCell)
            {
                noImage = imageCell.StorageClass == SQLitePCL.raw.SQLITE_NULL;
                utf8 = noImage ? default : imageCell.Utf8;
            }
            else
            {
                noImage = reader.IsNull(imageColumn);
                utf8 = noImage ? default : reader.GetUtf8(imageColumn);
            }

            // The image goes straight into the table's data chunks, checked against the mirror's types on the way.
            var chunks = changes.Images ??= new ApplyChunks(schema.MirrorTypes.ToArray(), temporal: true);
            var fits = noImage
                ? CdcImageParser.TrySetBoxed(chunks, new object?[schema.Columns.Count], out var column, out var value)
                : CdcImageParser.TryParseInto(schema, utf8, chunks, out column, out value);
            if (!fits)
            {
                changes.QuarantineReason = MirrorTypeFit.Misfit(schema, column, value);
                changes.OffendingKey = RowKeyComparer.Format(key ?? [integerKey]);
                return;
            }

            image = chunks.Count - 1;
        }

        changes.Versions.Add(new TemporalEvent(op, ts, key, null) { IntegerKey = integerKey, Image = image });
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

    /// <summary>The column's value when it is an INTEGER, read with one cell; null otherwise.</summary>
    private static long? IntegerAt(SqliteRowReader reader, int column)
    {
        if (reader.Cell(column) is { } cell)
        {
            return cell.StorageClass == SQLitePCL.raw.SQLITE_INTEGER ? cell.Int64 : null;
        }

        return reader.StorageClass(column) == SQLitePCL.raw.SQLITE_INTEGER ? reader.GetInt64(column) : null;
    }

    /// <summary>The values of a temporal image as the mirror takes them (<see cref="CdcImageParser.Parse"/>).</summary>
    internal static object?[] ParseImage(TableSchema schema, ReadOnlySpan<byte> utf8) => CdcImageParser.Parse(schema, utf8);
}
