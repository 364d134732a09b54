using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Rhei.Data.Diagnostics;

namespace Rhei.Data.Sync;

/// <summary>
/// Moves batches from a change source to the mirror, one cycle at a time: owns the lock that serializes cycles and
/// schema changes (the DDL lock), the one entry point every cycle goes through (explicit sync, freshness, the
/// background loop), the background loop and the recovery loop that retries with backoff while the mirror has a
/// fault, and the cycle's trace and duration. What a cycle does is given as a delegate by its owner.
/// </summary>
internal sealed class SyncPipeline
{
    private static readonly TimeSpan s_firstRetry = TimeSpan.FromMilliseconds(100);

    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Func<ISet<string>, CancellationToken, RheiSyncResult> _cycle;
    private readonly Func<long> _appliedPosition;
    private readonly string _dataSource;
    private readonly ILogger _logger;
    private SyncLoop? _loop;
    private SyncLoop? _recovery;
    private volatile bool _closed;

    /// <param name="cycle">One cycle, run under the lock: fills the set with the tables it applied changes to.</param>
    /// <param name="appliedPosition">The position the mirror has applied through (for freshness).</param>
    /// <param name="dataSource">The SQLite data source, for traces (a file name, never the connection string).</param>
    /// <param name="logger">Where loop failures are logged.</param>
    public SyncPipeline(Func<ISet<string>, CancellationToken, RheiSyncResult> cycle, Func<long> appliedPosition, string dataSource, ILogger logger)
    {
        _cycle = cycle;
        _appliedPosition = appliedPosition;
        _dataSource = dataSource;
        _logger = logger;
    }

    /// <summary>When the mirror last covered every committed change, for Eventual reads.</summary>
    public MirrorFreshness Freshness { get; } = new();

    /// <summary>How the cycles have been going (failures in a row), for status and health checks.</summary>
    public SyncHealth Health { get; } = new();

    /// <summary>Whether the background loop is running.</summary>
    public bool IsLooping => _loop?.IsRunning ?? false;

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
    public async Task<RheiSyncResult?> RunCycleAsync(SyncCycleTrigger trigger, long freshnessTarget, CancellationToken ct)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (trigger == SyncCycleTrigger.Background && _closed)
            {
                return null;
            }

            if (trigger == SyncCycleTrigger.Freshness && !MirrorFreshness.IsBehind(freshnessTarget, _appliedPosition()))
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

    public void StartLoop(TimeSpan interval)
    {
        var previous = Interlocked.Exchange(ref _loop, new SyncLoop(BackgroundCycleAsync, interval, _logger));
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

    private Task BackgroundCycleAsync(CancellationToken ct) => RunCycleAsync(SyncCycleTrigger.Background, 0, ct);

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
            result = _cycle(tables, ct);
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
