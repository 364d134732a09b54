using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using Rhei.Data.Diagnostics;
using Rhei.Data.Bridge;
using Rhei.Data.ChangeFeed;
using Rhei.Data.Olap;
using Rhei.Data.Oltp;
using Rhei.Data.Schema;

namespace Rhei.Data.Sync;

/// <summary>
/// The replication heart of one data source: change capture in SQLite, the schema registry, the
/// DuckDB mirror and the sync between them. One lock serializes sync cycles and schema changes,
/// and guards the engine's own SQLite connection and DuckDB session.
/// </summary>
internal sealed partial class LocalReplicator : IAsyncDisposable
{
    private readonly RheiOptions _options;
    private readonly DuckDbDatabase _duckDb;
    private readonly ILogger _logger;
    private readonly OltpConnectionFactory _connections;
    private readonly SyncPipeline _pipeline;
    private readonly SchemaRegistry _registry = new();
    private readonly TriggerLogChangeSource _triggerLog;
    private readonly IChangeSource _source;
    private readonly DuckDbMirror _mirror;
    private string _consumerId = Guid.NewGuid().ToString("N");
    private long _watermark;
    // Stopwatch timestamp of the last consumer position written by a cycle (0: none yet), for the idle heartbeat.
    private long _acknowledgedAt;
    private long _acknowledgedPosition = -1;
    private long _schemaVersion;
    // A cycle that applied changes left its prune to the next one (a Strong read's catch-up beside the loop).
    private bool _prunePending;
    private bool _started;
    private bool _disposed;

    public LocalReplicator(RheiOptions options, DuckDbDatabase duckDb, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(duckDb);
        _options = options;
        _duckDb = duckDb;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Rhei.Data.Sync");
        _connections = new OltpConnectionFactory(options);
        // The source: SQLite's trigger log, or the durable bridge that moves it into RocksDB (Bridge Path).
        _triggerLog = new TriggerLogChangeSource(_connections, options.SyncMode, holdForSubscriptions: options.BridgePath is null);
        _source = options.BridgePath is { } bridgePath
            ? new BridgeChangeSource(_triggerLog, bridgePath, options.SyncMode, _registry.Find, _logger)
            : _triggerLog;
        Feed = new ChangeFeedService(_connections, _registry.Find, options.SyncMode, () => (_source as BridgeChangeSource)?.Log);
        _mirror = new DuckDbMirror(duckDb, options.SyncMode, _logger, storesPosition: options.OlapPath is not null);
        _pipeline = new SyncPipeline(RunCycleGuarded, () => Watermark, options.DiagnosticsName, _logger, SourceAhead);
    }

    /// <summary>
    /// Test hook: called inside a cycle with "after-apply" (each batch, after its DuckDB commit, before Strong readers are
    /// released), "before-acknowledge" (once, before the consumer position is written) and "before-prune"; throw to
    /// simulate a crash there.
    /// </summary>
    internal Action<string>? FaultInjector { get; set; }

    /// <summary>A consumer silent for longer than this no longer holds the change log back.</summary>
    internal TimeSpan ConsumerTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The consumer id this engine reads the change log under.</summary>
    internal string ConsumerId => _consumerId;

    /// <summary>The last sequence number applied to the mirror.</summary>
    internal long Watermark => Interlocked.Read(ref _watermark);

    internal SchemaRegistry Registry => _registry;

    /// <summary>The change feed's subscriptions.</summary>
    internal ChangeFeedService Feed { get; }

    /// <summary>The durable bridge, or null without <c>Bridge Path</c>.</summary>
    internal BridgeChangeSource? Bridge => _source as BridgeChangeSource;

    /// <summary>The mirror's cached one-row INSERTs (for tests: which apply path a small batch took).</summary>
    internal MirrorRowStatements MirrorRowStatements => _mirror.RowStatements;

    public async Task StartAsync(CancellationToken ct)
    {
        await _pipeline.EnterLockAsync(ct).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _source.Open();
            _started = true;
            _mirror.Open();
            LoadRegistry();
            ImportRegistryFile();

            // Triggers first: a table whose triggers were dropped while Rhei was away missed those writes.
            var retriggered = _registry.Tables.Where(EnsureTriggers).ToArray();
            if (ResumeProblem() is { } problem)
            {
                // An in-memory mirror (or a durable one that cannot resume) starts from SQLite.
                RebuildAll(problem.Reason, problem.Warn, ct);
            }
            else
            {
                EnsureMirrors(ct);
                foreach (var table in retriggered)
                {
                    NoteRebuild($"the change-capture triggers of '{table.Name}' were dropped or altered outside Rhei.Data; the table was reloaded");
                    LoadTables([table], null, ct);
                }
            }

            AutoRegister(ct);
            Source.Acknowledge(_consumerId, Watermark);
            _schemaVersion = ReplicationTables.SchemaVersion(Sqlite);
            WriteRegistryFile();
            RegisterMetrics();
        }
        finally
        {
            _pipeline.ExitLock();
        }

        if (_options.SyncInterval > TimeSpan.Zero)
        {
            StartSync(_options.SyncInterval);
        }
    }

    public bool IsReplicated(string table) => _registry.Find(table) is not null;

    public bool IsQuarantined(string table) => _mirror.IsQuarantined(table);

    public string? QuarantineReason(string table) => _mirror.Find(table)?.QuarantineReason;

    public bool IsTemporal(string table) => _options.SyncMode == RheiSyncMode.Temporal && IsReplicated(table);

    public async Task<RheiSyncResult> SyncAsync(CancellationToken ct)
        => (await _pipeline.RunCycleAsync(SyncCycleTrigger.Explicit, 0, ct).ConfigureAwait(false))!;

    public async Task EnsureFreshAsync(CancellationToken ct)
    {
        long target;
        var probe = ApplyPhaseTimes.Start();
        try
        {
            target = ProbeMaxSequence();
            ApplyPhaseTimes.Stop(ApplyPhase.StrongProbe, probe);
        }
        catch (RheiException ex) when (ex.InnerException is SqliteException)
        {
            // The log itself may be gone (dropped outside Rhei.Data): the cycle's checks recreate it and rebuild.
            target = long.MaxValue;
        }

        if (MirrorFreshness.IsBehind(target, Watermark))
        {
            // The pipeline does the work (the loop's cycle or one shared by every waiting reader), never this thread.
            var waitStarted = Stopwatch.GetTimestamp();
            var wait = ApplyPhaseTimes.Start();
            await _pipeline.CatchUpAsync(target, ct).ConfigureAwait(false);
            ApplyPhaseTimes.Stop(ApplyPhase.StrongWait, wait);
            RheiMetrics.RecordFreshnessWait(Stopwatch.GetElapsedTime(waitStarted), _options.Freshness, _options.DiagnosticsName);
        }
    }

    public async Task<RheiSyncStatus> GetStatusAsync(CancellationToken ct)
    {
        await _pipeline.EnterLockAsync(ct).ConfigureAwait(false);
        try
        {
            var watermark = Watermark;
            var lags = Source.PendingPerTable(watermark);

            var fault = MirrorFault;
            var tables = new List<RheiTableSyncStatus>();
            foreach (var schema in _registry.Tables)
            {
                var rows = 0L;
                var state = _mirror.Find(schema.Name);
                var quarantined = state?.QuarantineReason is not null;
                if (state is not null && !quarantined && fault is null)
                {
                    rows = CountMirrorRows(schema, ref fault);
                }

                tables.Add(new RheiTableSyncStatus(
                    schema.Name,
                    _options.SyncMode,
                    rows,
                    lags.GetValueOrDefault(schema.Name),
                    quarantined ? RheiTableSyncState.Quarantined : fault is not null ? RheiTableSyncState.Unavailable : RheiTableSyncState.Active,
                    quarantined ? state!.QuarantineReason : fault,
                    state?.OffendingKey));
            }

            return new RheiSyncStatus(lags.Values.Sum(), watermark, _pipeline.IsLooping, tables)
            {
                Staleness = lags.Values.Sum() > 0 ? Freshness.Staleness : TimeSpan.Zero,
                ConsecutiveSyncFailures = _pipeline.Health.ConsecutiveFailures,
                MirrorUnavailableReason = fault,
                LastRebuildReason = LastRebuildReason,
                LastRebuildAt = LastRebuildAt,
                BridgeWatermark = Bridge?.Log.Watermark,
                BridgeLogEvents = Bridge?.Log.Count,
            };
        }
        catch (SqliteException ex)
        {
            throw Public(ex, "read the sync status");
        }
        finally
        {
            _pipeline.ExitLock();
        }
    }

    /// <summary>Rows in a table's mirror; a mirror that cannot be read is a fault to report, not an error to throw.</summary>
    private long CountMirrorRows(TableSchema schema, ref string? fault)
    {
        try
        {
            return _mirror.CountRows(schema);
        }
        catch (DuckDbException ex)
        {
            SetFault(ex);
            fault = MirrorFault;
            return 0;
        }
    }

    public void StartSync(TimeSpan interval) => _pipeline.StartLoop(interval);

    public Task StopSyncAsync() => _pipeline.StopLoopAsync();

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        UnregisterMetrics();
        await _pipeline.StopLoopsAsync().ConfigureAwait(false);
        await _pipeline.EnterLockAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            _disposed = true;
            _pipeline.Close();
            if (_started && _options.OlapPath is null)
            {
                // An in-memory mirror dies with the engine: stop holding the log back.
                TryLogged(() => Source.Release(_consumerId), "remove the consumer registration");
            }
            else if (_started && _acknowledgedPosition != Watermark)
            {
                // A durable mirror's last position, which a Strong read's catch-up may have left to a later cycle.
                TryLogged(() => Source.Acknowledge(_consumerId, Watermark), "record the consumer position");
            }

            _mirror.Dispose();
            Feed.Dispose();
            _source.Dispose();
        }
        finally
        {
            _pipeline.ExitLock();
        }
    }

    /// <summary>The SQLite connection of the local database: registry, triggers and integrity checks run on it.</summary>
    private SqliteConnection Sqlite => _triggerLog.Connection;

    /// <summary>Where the cycle reads changes from: only the <see cref="IChangeSource"/> contract, whatever the source is.</summary>
    private IChangeSource Source => _source;

    private long ProbeMaxSequence()
    {
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                return Source.ProbeLatestPosition();
            }
            catch (SqliteException ex)
            {
                throw Public(ex, "read the change log's position for a Strong read");
            }
        }
    }

    /// <summary>For the woken loop: whether the change log holds a sequence past the watermark (true when the probe fails: the cycle finds out why).</summary>
    private bool SourceAhead()
    {
        try
        {
            return !_disposed && MirrorFreshness.IsBehind(Source.ProbeLatestPosition(), Watermark);
        }
        catch (Exception ex) when (ex is SqliteException or ObjectDisposedException or InvalidOperationException)
        {
            return true;
        }
    }

    private void SetWatermark(long value) => Interlocked.Exchange(ref _watermark, value);

    private void TryLogged(Action action, string what)
    {
        try
        {
            action();
        }
        catch (Exception ex) when (ex is SqliteException or DuckDbException or IOException)
        {
            _logger.CleanupFailed(ex, what);
        }
    }
}
