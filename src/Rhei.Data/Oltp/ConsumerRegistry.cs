using Microsoft.Data.Sqlite;
using Rhei.Data.Sync;

namespace Rhei.Data.Oltp;

/// <summary>
/// The engines reading one SQLite file's change log (<c>_rhei_consumers</c>): each records how far
/// it has applied and when it last showed signs of life, so pruning never passes a live reader.
/// </summary>
internal static class ConsumerRegistry
{
    public static void Upsert(SqliteConnection connection, string id, long watermark)
    {
        var phase = ApplyPhaseTimes.Start();
        using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO {ReplicationTables.Consumers} (id, watermark, heartbeat) VALUES ($id, $w, $now) ON CONFLICT (id) DO UPDATE SET watermark = excluded.watermark, heartbeat = excluded.heartbeat";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$w", watermark);
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
        ApplyPhaseTimes.Stop(ApplyPhase.ConsumerUpdate, phase);
    }

    public static void Remove(SqliteConnection connection, string id)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"DELETE FROM {ReplicationTables.Consumers} WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
    }

    /// <summary>The lowest watermark among consumers heard from within <paramref name="timeout"/>, or null when none is.</summary>
    public static long? MinimumLiveWatermark(SqliteConnection connection, TimeSpan timeout)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT min(watermark) FROM {ReplicationTables.Consumers} WHERE heartbeat >= $since";
        command.Parameters.AddWithValue("$since", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - (long)timeout.TotalMilliseconds);
        return command.ExecuteScalar() is long v ? v : null;
    }

    /// <summary>The highest watermark any consumer recorded, 0 when none did.</summary>
    public static long MaximumWatermark(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT coalesce(max(watermark), 0) FROM {ReplicationTables.Consumers}";
        return command.ExecuteScalar() is long v ? v : 0;
    }
}
