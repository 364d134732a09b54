using Microsoft.Data.Sqlite;

namespace Rhei.Data.ChangeFeed;

/// <summary>
/// Durable change-feed subscriptions, kept in the SQLite file (<c>_rhei_subscriptions</c>) whether or not a bridge is
/// used, so every process on the file sees them: the position each acknowledged, when, and its retention limits.
/// A subscription within its limits holds the log back (pruning stops at its position); one past them no longer does.
/// </summary>
internal static class SubscriptionStore
{
    public const string TableName = "_rhei_subscriptions";

    public static void Create(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE TABLE IF NOT EXISTS {TableName} (name TEXT PRIMARY KEY, position INTEGER NOT NULL, acked_at INTEGER NOT NULL, retain_ms INTEGER, retain_events INTEGER)";
        command.ExecuteNonQuery();
    }

    /// <summary>Creates the subscription at <paramref name="startAt"/> unless it exists; stores its limits; returns its position.</summary>
    public static long Open(SqliteConnection connection, string name, long startAt, TimeSpan? retention, long? retainEvents)
    {
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT INTO {TableName} (name, position, acked_at, retain_ms, retain_events) VALUES ($name, $start, $now, $ms, $events)
            ON CONFLICT (name) DO UPDATE SET retain_ms = excluded.retain_ms, retain_events = excluded.retain_events;
            SELECT position FROM {TableName} WHERE name = $name;
            """;
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$start", startAt);
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$ms", retention is { } r ? (long)r.TotalMilliseconds : DBNull.Value);
        command.Parameters.AddWithValue("$events", retainEvents is { } e ? e : DBNull.Value);
        var position = (long)command.ExecuteScalar()!;
        transaction.Commit();
        return position;
    }

    /// <summary>Moves the subscription forward to <paramref name="position"/> (never back); false when it does not exist.</summary>
    public static bool Acknowledge(SqliteConnection connection, string name, long position)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE {TableName} SET position = max(position, $p), acked_at = $now WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$p", position);
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return command.ExecuteNonQuery() > 0;
    }

    /// <summary>The lowest position among subscriptions within their retention limits, or null when none is.</summary>
    public static long? SlowestRetained(SqliteConnection connection, long latest)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT min(position) FROM {TableName} WHERE (retain_ms IS NULL OR acked_at >= $now - retain_ms) AND (retain_events IS NULL OR $latest - position <= retain_events)";
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$latest", latest);
        return command.ExecuteScalar() is long v ? v : null;
    }

    /// <summary>Every subscription: name, position and when it last acknowledged (epoch ms).</summary>
    public static List<(string Name, long Position, long AckedAtMs)> List(SqliteConnection connection)
    {
        var list = new List<(string, long, long)>();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name, position, acked_at FROM {TableName} ORDER BY name";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            list.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return list;
    }
}
