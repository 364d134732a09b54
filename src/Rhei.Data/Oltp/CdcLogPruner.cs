using Microsoft.Data.Sqlite;
using Rhei.Data.Sync;

namespace Rhei.Data.Oltp;

/// <summary>Deletes applied events from the change log, never past the slowest live consumer.</summary>
internal static class CdcLogPruner
{
    public const string PrunedThroughKey = "pruned_through";

    /// <summary>
    /// Prunes through min(<paramref name="watermark"/>, every live consumer's watermark); returns the events deleted.
    /// One write transaction whatever the number of events: call it once per cycle, after the last batch, rather
    /// than once per batch: when every logged event is applied it empties the log in one step (see below).
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
        command.CommandText = $"SELECT max(seq) FROM {ReplicationTables.CdcLog}";
        if (command.ExecuteScalar() is not long last)
        {
            transaction.Commit();
            ApplyPhaseTimes.Stop(ApplyPhase.Prune, phase);
            return 0;
        }

        // Everything in the log is applied (the usual case once a cycle has drained it): a DELETE without WHERE takes
        // SQLite's truncate optimization, which frees the log's pages instead of deleting row by row and rebalancing
        // the B-tree per row, so a prune costs a fraction of the inserts the triggers made. The sequence's high-water
        // mark stays in sqlite_sequence (AUTOINCREMENT), so numbering goes on where it was. With a trigger on the log or
        // a preupdate hook SQLite deletes row by row instead: the same result, only slower.
        command.CommandText = last <= limit
            ? $"DELETE FROM {ReplicationTables.CdcLog}"
            : $"DELETE FROM {ReplicationTables.CdcLog} WHERE seq <= $limit";
        command.Parameters.AddWithValue("$limit", limit);
        var deleted = command.ExecuteNonQuery();

        // Remembered so that a durable mirror whose watermark is older can tell it missed events.
        if (deleted > 0)
        {
            command.CommandText = $"INSERT INTO {ReplicationTables.Meta} (key, value) VALUES ('{PrunedThroughKey}', $limit) ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)";
            command.ExecuteNonQuery();
        }

        transaction.Commit();
        ApplyPhaseTimes.Stop(ApplyPhase.Prune, phase);
        return deleted;
    }
}
