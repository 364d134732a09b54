using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Rhei.Data.Diagnostics;

namespace Rhei.Data.Sync;

/// <summary>
/// Moves batches from a change source to the mirror, one cycle at a time: owns the lock that serializes cycles and
/// schema changes (the DDL lock), the one entry point every cycle goes through (explicit sync, freshness, the
/// background loop), the freshness cycle concurrent Strong readers share, the wake-up a commit gives the loop, the background loop and the recovery loop that retries with backoff while the mirror has a
/// fault, and the cycle's trace and duration. What a cycle does is given as a delegate by its owner.
/// </summary>
internal sealed class SyncPipeline
{
    private static readonly TimeSpan s_firstRetry = TimeSpan.FromMilliseconds(100);

    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly object _sharedGate = new();
    private readonly Func<SyncCycleTrigger, ISet<string>, CancellationToken, RheiSyncResult> _cycle;
    private readonly Func<long> _appliedPosition;
    private readonly Func<bool>? _sourceAhead;
    private readonly string _dataSource;
    private readonly ILogger _logger;
    private SyncLoop? _loop;
    private SyncLoop? _recovery;
    private volatile bool _closed;
    private Task? _sharedCycle;
    private long _sharedTarget;
    // Completed (and replaced) each time the applied position moves: Strong readers wait on it, not on the cycle's end.
    private TaskCompletionSource _advanced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _appliedCycles;

    /// <param name="cycle">One cycle, run under the lock: told who asked for it, fills the set with the tables it applied changes to.</param>
    /// <param name="appliedPosition">The position the mirror has applied through (for freshness).</param>
    /// <param name="dataSource">The SQLite data source, for traces (a file name, never the connection string).</param>
    /// <param name="logger">Where loop failures are logged.</param>
    /// <param name="sourceAhead">A cheap check that the source is ahead of the mirror, for a loop woken by a commit.</param>
    public SyncPipeline(Func<SyncCycleTrigger, ISet<string>, CancellationToken, RheiSyncResult> cycle, Func<long> appliedPosition, string dataSource, ILogger logger, Func<bool>? sourceAhead = null)
    {
        _sourceAhead = sourceAhead;
        _cycle = cycle;
        _appliedPosition = appliedPosition;
        _dataSource = dataSource;
        _logger = logger;
    }

    /// <summary>When the mirror last covered every committed change, for Eventual reads.</summary>
    public MirrorFreshness Freshness { get; } = new();

    /// <summary>Counts the cycles that applied changes: a reader of the mirror's row counts knows they may have moved.</summary>
    public long AppliedCycles => Interlocked.Read(ref _appliedCycles);

    /// <summary>How the cycles have been going (failures in a row), for status and health checks.</summary>
    public SyncHealth Health { get; } = new();

    /// <summary>Whether the background loop is running.</summary>
    public bool IsLooping => _loop?.IsRunning ?? false;

    /// <summary>Whether a Strong read is waiting for (or running) a shared catch-up cycle right now.</summary>
    public bool ReadersWaiting => Volatile.Read(ref _sharedCycle) is not null;

    /// <summary>The running background loop's interval, or null without one.</summary>
    public TimeSpan? LoopInterval => _loop is { IsRunning: true } loop ? loop.Interval : null;

    /// <summary>Takes the lock that serializes cycles and schema changes; pair with <see cref="ExitLock"/>.</summary>
    public Task EnterLockAsync(CancellationToken ct) => _lock.WaitAsync(ct);

    public void ExitLock() => _lock.Release();

    /// <summary>Takes the lock only if it is free (for metrics, which never wait for a cycle); pair a true result with <see cref="ExitLock"/>.</summary>
    public bool TryEnterLock() => _lock.Wait(0);

    /// <summary>
    /// The one way a sync cycle runs, whoever asks: takes the lock, then runs one cycle, traced and timed. Null when
    /// there was nothing to do: a freshness caller that queued behind a cycle finds it covered its target, or the
    /// background loop finds the pipeline closed.
    /// </summary>
    public Task<RheiSyncResult?> RunCycleAsync(SyncCycleTrigger trigger, long freshnessTarget, CancellationToken ct)
        => RunLockedAsync(trigger, () => freshnessTarget, ct);

    /// <summary>
    /// Returns once the mirror has applied everything up to <paramref name="target"/> (a position a Strong read saw in
    /// the change source), without running a cycle on the caller's thread: the read joins the freshness cycle that is
    /// queued or running, or starts one on the thread pool, and concurrent readers share it. A cycle that started
    /// before the caller's target was seen may stop short of it, so at most one more is joined; after that the read goes
    /// ahead as it always did after its one cycle (a quarantined table, say, leaves its events behind). The token only
    /// ends the wait: the shared cycle finishes for the others.
    /// </summary>
    public async Task CatchUpAsync(long target, CancellationToken ct)
    {
        for (var joined = 0; joined < 2 && MirrorFreshness.IsBehind(target, _appliedPosition()); joined++)
        {
            Task cycle;
            lock (_sharedGate)
            {
                if (target > _sharedTarget)
                {
                    _sharedTarget = target;
                }

                cycle = _sharedCycle ??= Task.Run(RunSharedCycleAsync, CancellationToken.None);
            }

            // Released by whichever comes first: the DuckDB commit that covers the target (the cycle's consumer-position
            // write and prune then go on without this reader), or the end of the cycle (which may stop short of it).
            while (!cycle.IsCompleted)
            {
                var advanced = Volatile.Read(ref _advanced).Task;
                if (!MirrorFreshness.IsBehind(target, _appliedPosition()))
                {
                    return;
                }

                await Task.WhenAny(cycle, advanced).WaitAsync(ct).ConfigureAwait(false);
            }

            // Complete by now: a failed cycle fails the read as it always did.
            await cycle.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Called by the cycle right after a DuckDB transaction that moved the applied position committed: every Strong reader
    /// whose target it covers goes ahead now (on the thread pool), while the cycle records its position and prunes.
    /// </summary>
    public void NoteApplied()
        => Interlocked.Exchange(ref _advanced, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Tells the background loop a commit was made through a Rhei connection, so it syncs now rather than at the next interval.</summary>
    public void NoteCommit() => _loop?.Wake();

    public void StartLoop(TimeSpan interval)
    {
        var previous = Interlocked.Exchange(ref _loop, new SyncLoop(BackgroundCycleAsync, interval, _logger, sourceAhead: _sourceAhead));
        if (previous is not null)
        {
            _ = previous.StopAsync();
        }
    }

    public async Task StopLoopAsync()
    {
        var loop = Interlocked.Exchange(ref _loop, null);
        if (loop is not null)
        {
            await loop.StopAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Called (under the lock) when the mirror took a fault: without a background loop nothing would try again, so retry until it is back.</summary>
    public void StartRecovery()
    {
        if (_loop is null && _recovery is null && !_closed)
        {
            _recovery = new SyncLoop(BackgroundCycleAsync, s_firstRetry, _logger, untilSuccess: true);
        }
    }

    /// <summary>Called (under the lock) after a cycle succeeded: the recovery loop ends by itself with it.</summary>
    public void EndRecovery() => _recovery = null;

    /// <summary>Stops both loops; after this no background cycle runs. The caller closes under the lock with <see cref="Close"/>.</summary>
    public async Task StopLoopsAsync()
    {
        await StopLoopAsync().ConfigureAwait(false);
        if (Interlocked.Exchange(ref _recovery, null) is { } recovery)
        {
            await recovery.StopAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Marks the pipeline closed (caller holds the lock): background cycles queued behind it skip.</summary>
    public void Close() => _closed = true;

    private Task<RheiSyncResult?> BackgroundCycleAsync(CancellationToken ct) => RunCycleAsync(SyncCycleTrigger.Background, 0, ct);

    private async Task<RheiSyncResult?> RunLockedAsync(SyncCycleTrigger trigger, Func<long> freshnessTarget, CancellationToken ct)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (trigger == SyncCycleTrigger.Background && _closed)
            {
                return null;
            }

            if (trigger == SyncCycleTrigger.Freshness && !MirrorFreshness.IsBehind(freshnessTarget(), _appliedPosition()))
            {
                return null;
            }

            return RunTraced(trigger, ct);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>The freshness cycle readers share: covers the highest target any of them asked for by the time it holds the lock.</summary>
    private async Task RunSharedCycleAsync()
    {
        try
        {
            await RunLockedAsync(SyncCycleTrigger.Freshness, () => Volatile.Read(ref _sharedTarget), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            // Under the gate, so this runs after the starter stored the task: a later reader then starts a new cycle.
            lock (_sharedGate)
            {
                _sharedCycle = null;
            }
        }
    }

    private RheiSyncResult RunTraced(SyncCycleTrigger trigger, CancellationToken ct)
    {
        var triggerName = trigger switch
        {
            SyncCycleTrigger.Explicit => "explicit",
            SyncCycleTrigger.Freshness => "freshness",
            _ => "background",
        };
        var started = Stopwatch.GetTimestamp();
        using var activity = SyncTelemetry.StartCycle(triggerName, _dataSource);
        var tables = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        RheiSyncResult? result = null;
        Exception? error = null;
        try
        {
            result = _cycle(trigger, tables, ct);
            if (result.EventsProcessed > 0 || tables.Count > 0)
            {
                Interlocked.Increment(ref _appliedCycles);
            }

            return result;
        }
        catch (Exception ex)
        {
            error = ex;
            throw;
        }
        finally
        {
            SyncTelemetry.EndCycle(activity, triggerName, _dataSource, Stopwatch.GetElapsedTime(started), result, tables.Count, error, _logger, Health);
        }
    }
}
