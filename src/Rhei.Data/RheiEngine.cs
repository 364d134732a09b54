using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rhei.Data.Olap;
using Rhei.Data.Sync;

namespace Rhei.Data;

/// <summary>
/// The heavy part behind every connection of one data source: the DuckDB database, the replication
/// engine (registry, change capture, sync loop) and a pool of DuckDB sessions. Connections are cheap
/// and borrow from it; it lives until its data source is disposed.
/// </summary>
internal sealed class RheiEngine : IAsyncDisposable
{
    private readonly ConcurrentBag<OlapSession> _idleSessions = [];
    private readonly ILogger _logger;
    private int _disposed;

    private RheiEngine(RheiOptions options, ILoggerFactory loggerFactory)
    {
        Options = options;
        LoggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("Rhei.Data.Engine");
    }

    public RheiOptions Options { get; }

    public ILoggerFactory LoggerFactory { get; }

    /// <summary>The DuckDB database, or null when <c>Olap=None</c>.</summary>
    public DuckDbDatabase? DuckDb { get; private set; }

    /// <summary>The replication engine, or null when <c>Olap=None</c>.</summary>
    public ReplicationEngine? Replication { get; private set; }

    public bool OlapAvailable => DuckDb is not null && Volatile.Read(ref _disposed) == 0;

    public static async Task<RheiEngine> StartAsync(RheiOptions options, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        var engine = new RheiEngine(options, loggerFactory ?? NullLoggerFactory.Instance);
        try
        {
            await engine.StartCoreAsync(cancellationToken).ConfigureAwait(false);
            return engine;
        }
        catch
        {
            await engine.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        if (!Options.IsInMemorySqlite)
        {
            // WAL lets the sync engine read while the application writes; the mode is stored in the file.
            using var connection = new SqliteConnection(Options.SqliteConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (Options.Olap == RheiOlapEngine.None)
        {
            return;
        }

        if (Options.IsInMemorySqlite && !Options.SqliteConnectionString.Contains("Cache=Shared", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                "Olap=DuckDb needs a SQLite database every connection can see: a file (\"Data Source=app.db\") or a shared in-memory database (\"Data Source=name;Mode=Memory;Cache=Shared\"). A private ':memory:' database is visible to one connection only; use Olap=None for it.",
                "Data Source");
        }

        DuckDb = DuckDbDatabase.OpenMirror(Options.OlapPath);
        Replication = new ReplicationEngine(Options, DuckDb, LoggerFactory);
        await Replication.StartAsync(cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Rhei engine started for {DataSource} (mirror: {Mirror})", Options.RedactedConnectionString, Options.OlapPath ?? "in memory");
    }

    /// <summary>Borrows a DuckDB session configured for SQLite's semantics.</summary>
    public OlapSession RentOlapSession()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var database = DuckDb ?? throw new InvalidOperationException("This connection has no analytical engine (Olap=None).");
        if (_idleSessions.TryTake(out var session))
        {
            return session;
        }

        // SQLite's semantics (integer division, NULL order …) are the database's defaults, set at open:
        // its configuration is locked, so a session cannot SET them.
        var native = database.Connect();
        return new OlapSession(native);
    }

    public void ReturnOlapSession(OlapSession session)
    {
        if (Volatile.Read(ref _disposed) != 0 || _idleSessions.Count >= Environment.ProcessorCount * 4)
        {
            session.Dispose();
            return;
        }

        _idleSessions.Add(session);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (Replication is { } replication)
        {
            try
            {
                await replication.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Stopping replication failed for {DataSource}", Options.RedactedConnectionString);
            }
        }

        while (_idleSessions.TryTake(out var session))
        {
            session.Dispose();
        }

        DuckDb?.Dispose();
    }
}
