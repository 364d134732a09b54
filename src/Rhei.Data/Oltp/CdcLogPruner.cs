using Microsoft.Data.Sqlite;

namespace Rhei.Data.Oltp;

/// <summary>Deletes applied events from the change log, never past the slowest live consumer.</summary>
internal static class CdcLogPruner
{
    public const string PrunedThroughKey = "pruned_through";

    /// <summary>Prunes through min(<paramref name="watermark"/>, every live consumer's watermark); returns the events deleted.</summary>
    public static long Prune(SqliteConnection connection, long watermark, TimeSpan consumerTimeout)
    {
        var limit = Math.Min(watermark, ConsumerRegistry.MinimumLiveWatermark(connection, consumerTimeout) ?? watermark);
        if (limit <= 0)
        {
            return 0;
        }

        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"DELETE FROM {ReplicationTables.CdcLog} WHERE seq <= $limit";
        command.Parameters.AddWithValue("$limit", limit);
        var deleted = command.ExecuteNonQuery();

        // Remembered so that a durable mirror whose watermark is older can tell it missed events.
        if (deleted > 0)
        {
            command.CommandText = $"INSERT INTO {ReplicationTables.Meta} (key, value) VALUES ('{PrunedThroughKey}', $limit) ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)";
            command.ExecuteNonQuery();
        }

        transaction.Commit();
        return deleted;
    }
}
