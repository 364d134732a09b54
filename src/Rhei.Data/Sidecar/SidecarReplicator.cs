using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Rhei.Data.Diagnostics;
using Rhei.Data.Olap;
using Rhei.Data.Sync;

namespace Rhei.Data.Sidecar;

/// <summary>
/// The sidecar pipeline of one data source: opens the source, builds or resumes the mirror, then runs cycles
/// (read after the applied position → apply the changes and the new position in one DuckDB transaction → acknowledge
/// to the source after the commit). One lock serializes cycles, the key scan and status; the background loop is the
/// local sync's <see cref="SyncLoop"/> (the cycle is asynchronous here, because sources read over the network, so
/// <see cref="SyncPipeline"/>, which runs a synchronous cycle, is not reused). Freshness uses the same keys as the
/// local sync: Strong asks the source for its position and cycles until the mirror covers it.
/// </summary>
internal sealed partial class SidecarReplicator : IAsyncDisposable
{
    /// <summary>Background cycles run a key scan at most this often (an explicit sync always runs one).</summary>
    internal static readonly TimeSpan KeyScanInterval = TimeSpan.FromSeconds(30);

    private readonly RheiOptions _options;
    private readonly SidecarOptions _sidecar;
    private readonly ISidecarSource _source;
    private readonly SidecarMirror _mirror;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private SyncLoop? _loop;
    private SidecarPosition _applied = SidecarPosition.Start;
    private long _lastKeyScan;
    private bool _disposed;

    public SidecarReplicator(RheiOptions options, DuckDbDatabase duckDb, ISidecarSource source, ILoggerFactory loggerFactory)
    {
        _options = options;
        _sidecar = options.Sidecar ?? throw new ArgumentException("The options have no sidecar.", nameof(options));
        _source = source;
        if (source is PostgreSql.PostgreSqlTimestampSource polled)
        {
            // The pipeline applies staged rows: polls read them typed into data chunks.
            polled.StageRows = true;
        }
        _logger = loggerFactory.CreateLogger("Rhei.Data.Sidecar");
        _mirror = new SidecarMirror(duckDb, options.SyncMode, _logger);
    }

    /// <summary>
    /// Test hook, called at each step of a cycle: "after-read", "apply" (inside the DuckDB transaction, before its
    /// commit), "after-commit", "after-acknowledge", and "copy" inside the initial copy; throw to simulate a crash there.
    /// </summary>
    internal Action<string>? FaultInjector
    {
        get => _faultInjector;
        set
        {
            _faultInjector = value;
            _mirror.FaultInjector = value;
        }
    }

    private Action<string>? _faultInjector;

    public RheiSidecar Kind => _sidecar.Kind;

    /// <summary>Whether writes go to the local file (<c>Local Oltp=True</c>); otherwise every write is refused.</summary>
    public bool LocalOltp => _sidecar.LocalOltp;

    /// <summary>The source file of a SQLite sidecar (for the read-only fallback), or null.</summary>
    public string? SqliteSourcePath => _sidecar.Kind == RheiSidecar.Sqlite ? _sidecar.Settings.Source : null;

    /// <summary>The followed tables' schemas, for the planner's catalog.</summary>
    public IReadOnlyDictionary<string, Schema.TableSchema> Tables => _mirror.Snapshot;

    /// <summary>When the mirror last covered every change the source had, for Eventual reads.</summary>
    public MirrorFreshness Freshness { get; } = new();

    /// <summary>The position the mirror has applied through.</summary>
    internal SidecarPosition Applied => _applied;

    public bool IsFollowed(string table) => _mirror.Find(table) is not null;

    /// <summary>How long a Strong read waits for a position the source will deliver before it gives up with an error.</summary>
    private static readonly TimeSpan s_strongReadBound = TimeSpan.FromSeconds(30);

    /// <summary>How the sidecar cycles have been going (failures in a row), for health checks.</summary>
    public SyncHealth Health { get; } = new();

    public string? QuarantineReason(string table) => _mirror.Find(table)?.QuarantineReason;

    /// <summary>Opens the source and checks the configuration against it, before anything in the mirror changes.</summary>
    public async Task OpenSourceAsync(CancellationToken ct)
    {
        _followed = await _source.OpenAsync(_sidecar.Settings, ct).ConfigureAwait(false);
    }

    private IReadOnlyList<SidecarTable>? _followed;

    /// <summary>Builds (copy) or resumes the mirror and starts the background loop.</summary>
    /// <param name="isLocalTable">Whether a name is a table of the local file: a followed table may not share it.</param>
    /// <param name="ct">Cancels the start.</param>
    public async Task StartAsync(Func<string, bool> isLocalTable, CancellationToken ct)
    {
        var tables = _followed ?? throw new InvalidOperationException("OpenSourceAsync must run first.");
        if (tables.FirstOrDefault(t => isLocalTable(t.Name)) is { } clash)
        {
            throw RheiException.Provider(
                $"Table '{clash.Name}' exists both in the local 'Data Source' file and in the sidecar source: the mirror and the SQLite fallback could not tell them apart. Rename or drop the local table, or leave it out of 'Sidecar Tables'.");
        }

        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            _mirror.Open();
            var started = Stopwatch.GetTimestamp();
            if (_options.OlapPath is not null && _mirror.ResumablePosition(_source.Kind, tables) is { } stored)
            {
                _applied = stored;
                _logger.LogInformation("Sidecar mirror resumed from its stored position ({Tables} tables).", tables.Count);
            }
            else
            {
                var (position, rows) = await _mirror.CopyAsync(_source.Kind, tables, sink => _source.CopyAsync(tables, sink, _sidecar.CopyProgress, ct)).ConfigureAwait(false);
                _applied = position;
                _mirror.AdoptSourceQuarantine(_source.QuarantinedTables);
                _logger.LogInformation("Sidecar mirror copied {Rows} rows of {Tables} tables from the {Source} source.", rows, tables.Count, _source.Kind);
            }

            await _source.AcknowledgeAsync(_applied, ct).ConfigureAwait(false);
            Freshness.MarkFresh(started);
            _lastKeyScan = Stopwatch.GetTimestamp();
        }
        finally
        {
            _lock.Release();
        }

        RegisterMetrics();
        if (_options.SyncInterval > TimeSpan.Zero)
        {
            _loop = new SyncLoop(async ct2 => (RheiSyncResult?)await CycleAsync("background", keyScan: false, ct2).ConfigureAwait(false), _options.SyncInterval, _logger);
        }
    }

    /// <summary>
    /// Copies every followed table afresh from one snapshot of the source (the mirror's current shapes), in one DuckDB
    /// transaction with the position changes continue from, as at the first start; <paramref name="progress"/> hears the
    /// rows copied so far (every 10,000 rows and at the end, for a PostgreSQL source). Returns the rows copied.
    /// </summary>
    public async Task<long> CopyAgainAsync(IProgress<long>? progress, CancellationToken ct)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // A copy now would make a new slot nothing streams from (the publication is gone too): WAL kept for nobody.
            ThrowIfSlotDropped();
            var followed = _followed ?? throw new InvalidOperationException("StartAsync must run first.");
            // A table that evolved (a column added at the source) is copied with the shape it has now.
            var tables = followed.Select(t => _mirror.Find(t.Name)?.Table ?? t).ToArray();
            var started = Stopwatch.GetTimestamp();
            var (position, rows) = await _mirror.CopyAsync(_source.Kind, tables, sink => _source.CopyAsync(tables, sink, progress, ct)).ConfigureAwait(false);
            _applied = position;
            _mirror.AdoptSourceQuarantine(_source.QuarantinedTables);
            await _source.AcknowledgeAsync(_applied, ct).ConfigureAwait(false);
            Freshness.MarkFresh(started);
            _logger.LogInformation("Sidecar mirror copied again: {Rows} rows of {Tables} tables from the {Source} source.", rows, tables.Length, _source.Kind);
            return rows;
        }
        catch (DuckDbException ex)
        {
            throw RheiException.FromDuckDb(ex);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Runs cycles until the mirror holds every change the source had when this began (and a key scan when configured).</summary>
    /// <remarks>
    /// The target is the source's position when the call begins: a logical replication stream delivers a commit a
    /// moment after it, so one cycle that found nothing yet would return before the mirror holds it.
    /// </remarks>
    public async Task<RheiSyncResult> SyncAsync(CancellationToken ct)
    {
        var target = await TargetAsync(ct).ConfigureAwait(false);
        var first = await CycleAsync("explicit", keyScan: true, ct).ConfigureAwait(false);
        var rest = await CatchUpAsync("explicit", target, ct).ConfigureAwait(false);
        return new RheiSyncResult(
            first.EventsProcessed + rest.EventsProcessed, first.RowsInserted + rest.RowsInserted, first.RowsUpdated + rest.RowsUpdated,
            first.RowsDeleted + rest.RowsDeleted, null, first.Duration + rest.Duration);
    }

    /// <summary>Makes an analytical read see what its freshness promises: Strong waits until the mirror covers the source's position now.</summary>
    public async Task EnsureFreshAsync(CancellationToken ct)
    {
        if (_options.Freshness != RheiFreshness.Strong)
        {
            if (_options.MaxStaleness is { } bound && !Freshness.IsWithin(bound))
            {
                var probedAt = Stopwatch.GetTimestamp();
                await CatchUpAsync(ct).ConfigureAwait(false);
                Freshness.MarkFresh(probedAt);
            }

            return;
        }

        await CatchUpAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Drops the logical replication slot and publication on the PostgreSQL server (the explicit API behind
    /// <see cref="RheiConnection.DropSidecarSlotAsync"/>; never done otherwise). The background loop stops, the stored
    /// position is forgotten (a durable mirror is copied again at its next start, with a new slot), and every later
    /// cycle of this data source fails saying the slot was dropped.
    /// </summary>
    public async Task DropSlotAsync(CancellationToken ct)
    {
        if (_source is not PostgreSql.PostgreSqlLogicalReplicationSource replication)
        {
            throw new InvalidOperationException($"DropSidecarSlotAsync needs Sidecar=PostgreSql with Sidecar Capture=LogicalReplication; this data source follows a {_source.Kind} source, which has no slot.");
        }

        if (Interlocked.Exchange(ref _loop, null) is { } loop)
        {
            await loop.StopAsync().ConfigureAwait(false);
        }

        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _slotDropped = true;
            _mirror.ForgetPosition();
            await replication.DropReplicationAsync(ct).ConfigureAwait(false);
            _logger.LogWarning("Sidecar replication slot and publication '{Name}' were dropped on request; the mirror no longer follows the server.", _sidecar.Settings.ReplicationName);
        }
        catch (DuckDbException ex)
        {
            throw RheiException.FromDuckDb(ex);
        }
        finally
        {
            _lock.Release();
        }
    }

    private bool _slotDropped;

    private void ThrowIfSlotDropped()
    {
        if (_slotDropped)
        {
            throw PostgreSql.PostgreSqlErrors.Refuse(
                $"replication slot {_sidecar.Settings.ReplicationName} was dropped by DropSidecarSlotAsync, so this mirror no longer follows the server: create the data source again to copy it afresh with a new slot");
        }
    }

    public async Task<IReadOnlyList<RheiTableSyncStatus>> GetStatusAsync(CancellationToken ct)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var pending = await _source.PendingAsync(_applied, ct).ConfigureAwait(false);
            var slot = _source is PostgreSql.PostgreSqlLogicalReplicationSource replication ? await replication.SlotLagAsync(ct).ConfigureAwait(false) : null;
            var capture = _sidecar.Capture.ToString();
            return _mirror.Tables.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => new RheiTableSyncStatus(
                t.Name,
                _options.SyncMode,
                t.QuarantineReason is null ? _mirror.CountRows(t) : 0,
                pending.GetValueOrDefault(t.Name),
                t.QuarantineReason is null ? RheiTableSyncState.Active : RheiTableSyncState.Quarantined,
                t.QuarantineReason,
                t.OffendingKey)
            {
                Capture = capture,
                SourcePosition = _source.DescribePosition(_applied, t.Name),
                Staleness = Freshness.Staleness,
                SourceLagBytes = slot?.Bytes,
                SourceLagTime = slot?.Time,
            }).ToArray();
        }
        catch (DuckDbException ex)
        {
            throw RheiException.FromDuckDb(ex);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _loop, null) is { } loop)
        {
            await loop.StopAsync().ConfigureAwait(false);
        }

        await UnregisterMetricsAsync().ConfigureAwait(false);
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await _source.DisposeAsync().ConfigureAwait(false);
            _mirror.Dispose();
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<SidecarPosition> TargetAsync(CancellationToken ct)
    {
        try
        {
            return await _source.CurrentPositionAsync(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or RheiException))
        {
            throw RheiException.Provider($"The {_source.Kind} sidecar source could not tell its position: {ex.Message}", ex);
        }
    }

    private Task CatchUpAsync(CancellationToken ct) => CatchUpAsync("freshness", null, ct);

    /// <summary>Cycles until the mirror covers <paramref name="target"/> (the source's position now when null); returns the work done.</summary>
    private async Task<RheiSyncResult> CatchUpAsync(string trigger, SidecarPosition? target, CancellationToken ct)
    {
        var goal = target ?? await TargetAsync(ct).ConfigureAwait(false);
        long events = 0, inserted = 0, updated = 0, deleted = 0;
        var elapsed = TimeSpan.Zero;

        // A timestamp source that applies nothing while the target is still ahead cannot reach it now (a row was
        // rewritten with an older timestamp): the read goes on with what the mirror has. An LSN is always reached, a
        // moment after the commit (the WAL sender's latency): keep reading (each read waits for the stream), within a bound.
        var waitingSince = Stopwatch.GetTimestamp();
        while (!_source.Covers(_applied, goal))
        {
            var before = _applied;
            var result = await CycleAsync(trigger, keyScan: false, ct, goal).ConfigureAwait(false);
            events += result.EventsProcessed;
            inserted += result.RowsInserted;
            updated += result.RowsUpdated;
            deleted += result.RowsDeleted;
            elapsed += result.Duration;
            if (_applied != before)
            {
                continue;
            }

            if (!_source.ReachesEveryPosition)
            {
                break;
            }

            if (Stopwatch.GetElapsedTime(waitingSince) > s_strongReadBound)
            {
                throw RheiException.Provider(
                    $"The {_source.Kind} sidecar source did not deliver position {goal} within {s_strongReadBound.TotalSeconds:0} s, so the mirror cannot catch up with it for a {(trigger == "explicit" ? "sync" : "Strong read")}; the mirror stands at {_applied}.");
            }
        }

        return new RheiSyncResult(events, inserted, updated, deleted, null, elapsed);
    }

    private async Task<RheiSyncResult> CycleAsync(string trigger, bool keyScan, CancellationToken ct, SidecarPosition? target = null)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        using var activity = SyncTelemetry.StartCycle(trigger, _options.DiagnosticsName);
        var tables = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        RheiSyncResult? result = null;
        Exception? error = null;
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ThrowIfSlotDropped();
            if (target is { } t && _source.Covers(_applied, t))
            {
                // A cycle that ran while this one queued covered the read's target already.
                return result = new RheiSyncResult(0, 0, 0, 0, null, TimeSpan.Zero);
            }

            long events = 0, inserted = 0, updated = 0, deleted = 0;
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                using var batch = await _source.ReadAsync(_applied, _options.SyncBatchSize, ct).ConfigureAwait(false);
                FaultInjector?.Invoke("after-read");
                var read = batch.ChangeCount;
                if (read == 0 && batch.SchemaChanges.Count == 0 && batch.Position == _applied)
                {
                    break;
                }

                if (!_mirror.TryApply(_source.Kind, batch, tables, out var applied))
                {
                    // A table of the batch was quarantined and nothing committed: read it again without that table.
                    continue;
                }

                _applied = batch.Position;
                _mirror.AdoptSourceQuarantine(_source.QuarantinedTables);
                FaultInjector?.Invoke("after-commit");
                await _source.AcknowledgeAsync(_applied, ct).ConfigureAwait(false);
                FaultInjector?.Invoke("after-acknowledge");
                events += applied.EventsProcessed;
                inserted += applied.RowsInserted;
                updated += applied.RowsUpdated;
                deleted += applied.RowsDeleted;
                if (read < _options.SyncBatchSize)
                {
                    break;
                }
            }

            if (_sidecar.Settings.DeleteDetection == SidecarDeleteDetection.KeyScan
                && (keyScan || Stopwatch.GetElapsedTime(_lastKeyScan) >= KeyScanInterval))
            {
                deleted += await ScanKeysAsync(tables, ct).ConfigureAwait(false);
            }

            Freshness.MarkFresh(started);
            return result = new RheiSyncResult(events, inserted, updated, deleted, null, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex)
        {
            error = ex;
            if (ex is DuckDbException duck)
            {
                throw RheiException.FromDuckDb(duck);
            }

            if (ex is Microsoft.Data.Sqlite.SqliteException sqlite)
            {
                throw new RheiException($"The sidecar source could not be read: {sqlite.Message} (engine: SQLite)", RheiException.SqliteEngineName, sqlite.SqliteExtendedErrorCode, sqlite);
            }

            throw;
        }
        finally
        {
            SyncTelemetry.EndCycle(activity, trigger, _options.DiagnosticsName, Stopwatch.GetElapsedTime(started), result, tables.Count, error, _logger, Health);
            _lock.Release();
        }
    }

    private async Task<long> ScanKeysAsync(ISet<string> tablesApplied, CancellationToken ct)
    {
        long deleted = 0;
        foreach (var table in _mirror.Tables.Where(t => t.QuarantineReason is null).ToArray())
        {
            var gone = await _mirror.ScanKeysAsync(table, sink => _source.CopyKeysAsync(table.Table, sink, ct)).ConfigureAwait(false);
            if (gone > 0)
            {
                tablesApplied.Add(table.Name);
                deleted += gone;
            }
        }

        _lastKeyScan = Stopwatch.GetTimestamp();
        return deleted;
    }
}
