using Microsoft.Data.Sqlite;
using Rhei.Data.Sync;

namespace Rhei.Data.Oltp;

/// <summary>Deletes applied events from the change log, never past the slowest live consumer.</summary>
internal static class CdcLogPruner
{
    public const string PrunedThroughKey = "pruned_through";

    /// <summary>
    /// Prunes through min(<paramref name="watermark"/>, every live consumer's watermark), never the log's last event;
    /// returns the events deleted. One write transaction whatever the number of events: call it once per cycle, after
    /// the last batch, rather than once per batch: when every logged event is applied it truncates the log in one step
    /// (see below).
    /// </summary>
    public static long Prune(SqliteConnection connection, long watermark, TimeSpan consumerTimeout)
    {
        var phase = ApplyPhaseTimes.Start();
        var limit = Math.Min(watermark, ConsumerRegistry.MinimumLiveWatermark(connection, consumerTimeout) ?? watermark);
        if (limit <= 0)
        {
            return 0;
        }

        // BEGIN IMMEDIATE: the write lock is held from here, so no event can be logged between reading the log's
        // last sequence number and the DELETE.
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT min(seq), max(seq) FROM {ReplicationTables.CdcLog}";
        long first, last;
        using (var bounds = command.ExecuteReader())
        {
            bounds.Read();
            (first, last) = bounds.IsDBNull(0) ? (0, 0) : (bounds.GetInt64(0), bounds.GetInt64(1));
        }

        // Nothing logged, or only the last event a previous prune kept.
        if (last == 0 || (first == last && last <= limit && !ReplicationTables.IsLegacyLog(connection, transaction)))
        {
            transaction.Commit();
            ApplyPhaseTimes.Stop(ApplyPhase.Prune, phase);
            return 0;
        }

        // An old AUTOINCREMENT log moves to the current shape while it holds its last event (see ReplicationTables).
        ReplicationTables.MigrateLegacyLog(connection, transaction);

        long deleted;
        long prunedThrough;
        if (last <= limit)
        {
            // Everything in the log is applied (the usual case once a cycle has drained it): a DELETE without WHERE takes
            // SQLite's truncate optimization, which frees the log's pages instead of deleting row by row and rebalancing
            // the B-tree per row, so a prune costs a fraction of the inserts the triggers made. The last event goes back
            // in at once, in the same transaction: SQLite numbers a new row one past the highest in the table, so this
            // row is what keeps numbering going on where it was (a crash mid-prune rolls back both). Every live consumer
            // has applied it; one that comes back from behind reads it as the event it is. With a trigger on the log or
            // a preupdate hook SQLite deletes row by row instead: the same result, only slower.
            var kept = ReadRow(command, last);
            command.CommandText = $"DELETE FROM {ReplicationTables.CdcLog}";
            deleted = command.ExecuteNonQuery() - 1;
            Insert(command, kept);
            prunedThrough = last - 1;
        }
        else
        {
            command.CommandText = $"DELETE FROM {ReplicationTables.CdcLog} WHERE seq <= $limit";
            command.Parameters.AddWithValue("$limit", limit);
            deleted = command.ExecuteNonQuery();
            prunedThrough = limit;
        }

        // Remembered so that a durable mirror whose watermark is older can tell it missed events.
        if (deleted > 0)
        {
            command.Parameters.Clear();
            command.Parameters.AddWithValue("$through", prunedThrough);
            command.CommandText = $"INSERT INTO {ReplicationTables.Meta} (key, value) VALUES ('{PrunedThroughKey}', $through) ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)";
            command.ExecuteNonQuery();
        }

        transaction.Commit();
        ApplyPhaseTimes.Stop(ApplyPhase.Prune, phase);
        return deleted;
    }

    /// <summary>The log row numbered <paramref name="seq"/>, every column as SQLite stores it.</summary>
    private static object?[] ReadRow(SqliteCommand command, long seq)
    {
        command.CommandText = $"SELECT {ReplicationTables.LogColumnList} FROM {ReplicationTables.CdcLog} WHERE seq = $seq";
        command.Parameters.Clear();
        command.Parameters.AddWithValue("$seq", seq);
        using var reader = command.ExecuteReader();
        reader.Read();
        var row = new object?[reader.FieldCount];
        reader.GetValues(row!);
        return row;
    }

    /// <summary>Writes a row read by <see cref="ReadRow"/> back; each value keeps its storage class (the key columns have no type).</summary>
    private static void Insert(SqliteCommand command, object?[] row)
    {
        command.Parameters.Clear();
        var names = new string[row.Length];
        for (var i = 0; i < row.Length; i++)
        {
            names[i] = "$c" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            command.Parameters.AddWithValue(names[i], row[i]);
        }

        command.CommandText = $"INSERT INTO {ReplicationTables.CdcLog} ({ReplicationTables.LogColumnList}) VALUES ({string.Join(", ", names)})";
        command.ExecuteNonQuery();
    }
}
