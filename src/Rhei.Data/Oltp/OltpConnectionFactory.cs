using Microsoft.Data.Sqlite;

namespace Rhei.Data.Oltp;

/// <summary>Opens the engine's own SQLite connections, configured for change capture.</summary>
internal sealed class OltpConnectionFactory
{
    private static int s_initialized;
    private readonly RheiOptions _options;

    public OltpConnectionFactory(RheiOptions options)
    {
        _options = options;
        if (Interlocked.Exchange(ref s_initialized, 1) == 0)
        {
            SQLitePCL.Batteries_V2.Init();
        }
    }

    /// <summary>Busy timeout for the engine's connections: long enough to wait out a writer's commit.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_options.SqliteConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();

        // WAL lets the sync read a snapshot while applications keep writing; NORMAL is durable
        // across application crashes in WAL mode and avoids an fsync per commit.
        command.CommandText = _options.IsInMemorySqlite
            ? "PRAGMA busy_timeout = " + ((long)BusyTimeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = " + ((long)BusyTimeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        command.ExecuteNonQuery();
        return connection;
    }
}
