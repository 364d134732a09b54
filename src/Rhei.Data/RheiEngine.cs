using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using Rhei.Data.Diagnostics;
using Rhei.Data.Olap;
using Rhei.Data.Sidecar;
using Rhei.Data.Sync;

namespace Rhei.Data;

/// <summary>
/// The heavy part behind every connection of one data source: the DuckDB database, the replication
/// engine (registry, change capture, sync loop) and a pool of DuckDB sessions. Connections are cheap
/// and borrow from it; it lives until its data source is disposed.
/// </summary>
internal sealed class RheiEngine : IAsyncDisposable
{
    // One engine per DuckDB file in a process: two DuckDB instances on one file corrupt it (DuckDB's file
    // lock is per process, so it does not stop the second one). Keyed by the full path.
    private static readonly ConcurrentDictionary<string, RheiEngine> s_mirrorFiles = new(OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

    private readonly ConcurrentBag<OlapSession> _idleSessions = [];
    private string? _claimedMirrorFile;
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
    public LocalReplicator? Replication { get; private set; }

    /// <summary>The sidecar pipeline following an external database, or null when <c>Sidecar=None</c>.</summary>
    public SidecarReplicator? Sidecar { get; private set; }

    /// <summary>Whether reads may go to DuckDB now: false while the mirror cannot take changes (see <see cref="LocalReplicator.MirrorFault"/>).</summary>
    public bool OlapAvailable => DuckDb is not null && Volatile.Read(ref _disposed) == 0 && Replication?.MirrorFault is null;

    /// <summary>The planner's read-only view of the mirror (replicated tables, column types, quarantine).</summary>
    public Sql.IMirrorCatalog Catalog => _catalog ??= new ReplicationCatalog(this);

    private Sql.IMirrorCatalog? _catalog;

    public static async Task<RheiEngine> StartAsync(RheiOptions options, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        var engine = new RheiEngine(options, loggerFactory ?? NullLoggerFactory.Instance);
        try
        {
            await engine.StartCoreAsync(cancellationToken).ConfigureAwait(false);
            return engine;
        }
        catch (Exception ex)
        {
            await engine.DisposeAsync().ConfigureAwait(false);
            throw ex switch
            {
                DuckDbException duck => new RheiException($"DuckDB failed while the engine started: {duck.Message} (engine: DuckDB)", RheiException.DuckDbEngineName, duck.DuckDbErrorType ?? 0, duck),
                SqliteException sqlite => new RheiException($"SQLite failed while the engine started: {sqlite.Message} (engine: SQLite)", RheiException.SqliteEngineName, sqlite.SqliteExtendedErrorCode, sqlite),
                _ => ex is OperationCanceledException or RheiException or ArgumentException ? ex : RheiException.Provider($"The Rhei engine could not start: {ex.Message}", ex),
            };
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

        ClaimMirrorFile();
        try
        {
            await StartReplicationAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DuckDbException ex) when (Options.OlapPath is not null && !MirrorFiles.IsLocked(ex) && !MirrorFaults.IsShortage(ex))
        {
            // The file opened but its content cannot be read (a bad block, a torn write): the mirror is a
            // derived copy, so it is set aside and built again from SQLite.
            await StopReplicationAsync().ConfigureAwait(false);
            SetAside(ex);
            await StartReplicationAsync(cancellationToken).ConfigureAwait(false);
        }

        _logger.EngineStarted(Options.RedactedConnectionString, Options.OlapPath ?? "in memory");
    }

    private async Task StartReplicationAsync(CancellationToken cancellationToken)
    {
        DuckDb = OpenMirror();
        if (Options.Sidecar is { } sidecar)
        {
            // The source is checked first: a bad source or table fails before the mirror changes.
            Sidecar = new SidecarReplicator(Options, DuckDb, SidecarSourceFactory.Create(sidecar, LoggerFactory), LoggerFactory);
            await Sidecar.OpenSourceAsync(cancellationToken).ConfigureAwait(false);
        }

        Replication = new LocalReplicator(Options, DuckDb, LoggerFactory);
        await Replication.StartAsync(cancellationToken).ConfigureAwait(false);
        if (Sidecar is { } follower)
        {
            var local = Replication;
            await follower.StartAsync(table => local.IsReplicated(table), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task StopReplicationAsync()
    {
        if (Sidecar is { } sidecar)
        {
            Sidecar = null;
            await sidecar.DisposeAsync().ConfigureAwait(false);
        }

        if (Replication is { } replication)
        {
            Replication = null;
            await replication.DisposeAsync().ConfigureAwait(false);
        }

        DuckDb?.Dispose();
        DuckDb = null;
    }

    /// <summary>Opens the mirror; a file DuckDB cannot open (empty, truncated, garbled) is set aside and made anew.</summary>
    private DuckDbDatabase OpenMirror()
    {
        try
        {
            return DuckDbDatabase.OpenMirror(Options.OlapPath, Options.OlapExternalAccess, Options.OlapMemoryLimit);
        }
        catch (DuckDbException ex) when (Options.OlapPath is { } path && MirrorFiles.IsLocked(ex))
        {
            throw new RheiException(
                $"The DuckDB mirror '{path}' is in use by another process ({MirrorFiles.LockHolder(ex)}). A DuckDB file can be open in one process only: give each process its own 'Olap Path', or open this one SQLite-only with 'Olap=None'. DuckDB said: {ex.Message}",
                RheiException.DuckDbEngineName,
                ex.DuckDbErrorType ?? 0,
                ex);
        }
        catch (DuckDbException ex) when (Options.OlapPath is not null && !MirrorFaults.IsShortage(ex))
        {
            SetAside(ex);
            try
            {
                return DuckDbDatabase.OpenMirror(Options.OlapPath, Options.OlapExternalAccess, Options.OlapMemoryLimit);
            }
            catch (DuckDbException again)
            {
                throw new RheiException($"DuckDB cannot create the mirror '{Options.OlapPath}': {again.Message}", RheiException.DuckDbEngineName, again.DuckDbErrorType ?? 0, again);
            }
        }
        catch (DuckDbException ex)
        {
            throw new RheiException($"DuckDB cannot open the mirror '{Options.OlapPath ?? "in memory"}': {ex.Message}", RheiException.DuckDbEngineName, ex.DuckDbErrorType ?? 0, ex);
        }
    }

    private void SetAside(DuckDbException ex)
    {
        var path = Options.OlapPath!;
        string aside;
        try
        {
            aside = MirrorFiles.SetAside(path);
        }
        catch (Exception move) when (move is IOException or UnauthorizedAccessException)
        {
            throw new RheiException(
                $"The DuckDB mirror '{path}' is damaged ({ex.Message}) and cannot be moved aside to be rebuilt: {move.Message}. Move or delete it, or open SQLite-only with 'Olap=None'.",
                RheiException.DuckDbEngineName,
                ex.DuckDbErrorType ?? 0,
                ex);
        }

        _logger.MirrorFileSetAside(ex, path, ex.Message, aside);
    }

    private void ClaimMirrorFile()
    {
        if (Options.OlapPath is null || Options.OlapPath.StartsWith(":memory:", StringComparison.OrdinalIgnoreCase))
        {
            // An in-memory DuckDB is private to its engine: nothing to share, nothing to claim.
            return;
        }

        var file = RheiDataSource.CanonicalPath(Options.OlapPath);
        var holder = s_mirrorFiles.GetOrAdd(file, this);
        if (!ReferenceEquals(holder, this))
        {
            throw RheiException.Provider(
                $"The DuckDB mirror '{file}' is already used by another data source in this process ({holder.Options.RedactedConnectionString}). Two engines on one DuckDB file would corrupt it: open every connection with the same connection string (or one RheiDataSource), or give this one its own 'Olap Path'.");
        }

        _claimedMirrorFile = file;
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
        try
        {
            return new OlapSession(database.Connect());
        }
        catch (DuckDbException ex)
        {
            // Every caller (reader, scalar, Arrow stream) sees the public type, naming DuckDB.
            throw RheiException.FromDuckDb(ex);
        }
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

        if (Sidecar is { } sidecar)
        {
            try
            {
                await sidecar.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Stopping the sidecar failed for {DataSource}", Options.RedactedConnectionString);
            }
        }

        if (Replication is { } replication)
        {
            try
            {
                await replication.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _logger.EngineStopFailed(ex, Options.RedactedConnectionString);
            }
        }

        while (_idleSessions.TryTake(out var session))
        {
            session.Dispose();
        }

        DuckDb?.Dispose();
        if (_claimedMirrorFile is { } file)
        {
            s_mirrorFiles.TryRemove(new KeyValuePair<string, RheiEngine>(file, this));
        }
    }
}
