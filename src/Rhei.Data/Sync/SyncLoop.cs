using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Rhei.Data.Diagnostics;

namespace Rhei.Data.Sync;

/// <summary>
/// Runs sync cycles on an interval until stopped, and sooner when woken: a commit made through a Rhei connection
/// wakes the loop (<see cref="Wake"/>), so its change reaches the mirror in milliseconds, while the interval still
/// bounds the delay for writers the provider cannot see (another process, the sqlite3 shell). A failing cycle is
/// logged and retried with exponential backoff; nothing is lost because the watermark only moves with a committed apply.
/// </summary>
internal sealed class SyncLoop
{
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(5);

    // SQLite calls the commit hook just before the commit becomes visible to other connections (in WAL mode with
    // synchronous=NORMAL the rest of the commit is a WAL write, microseconds): a cycle started at once could read the
    // log without it. A woken loop with a probe of the source (a few microseconds: a prepared PRAGMA data_version) starts
    // its cycle as soon as the probe shows the source ahead of the mirror, and after at most this long; without one it
    // waits this long. A woken cycle that found nothing looks again after this pause, doubling it (while it stays below
    // the interval), instead of waiting a whole interval. A wake within this pause of the previous cycle's end (commits
    // arriving back to back) waits it whole, so that under load one cycle takes the commits of a pause, not one each.
    private static readonly TimeSpan s_settle = TimeSpan.FromMilliseconds(1);

    private readonly Func<CancellationToken, Task<RheiSyncResult?>> _cycle;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly bool _untilSuccess;
    private readonly Func<bool>? _sourceAhead;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _wakeSignal = new(0, 1);
    private readonly Task _task;
    private int _wakeRequested;

    /// <param name="cycle">One cycle; its result (null when it had nothing to do) tells a woken loop whether the commit arrived.</param>
    /// <param name="interval">Pause between cycles, and the first backoff step.</param>
    /// <param name="logger">Where failures are logged.</param>
    /// <param name="untilSuccess">Stop after the first cycle that succeeds (a recovery loop), instead of running until stopped.</param>
    /// <param name="sourceAhead">A cheap check that the source holds changes the mirror has not applied; a woken loop starts its cycle once it is true.</param>
    public SyncLoop(Func<CancellationToken, Task<RheiSyncResult?>> cycle, TimeSpan interval, ILogger logger, bool untilSuccess = false, Func<bool>? sourceAhead = null)
    {
        _cycle = cycle;
        _sourceAhead = sourceAhead;
        _untilSuccess = untilSuccess;
        _interval = interval <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : interval;
        _logger = logger;
        _task = Task.Run(RunAsync);
    }

    public bool IsRunning => !_task.IsCompleted && !_stop.IsCancellationRequested;

    /// <summary>The pause between cycles when nothing wakes the loop.</summary>
    public TimeSpan Interval => _interval;

    /// <summary>Asks for a cycle soon (after a commit); many wakes before the loop gets to it make one cycle. Cheap and thread-safe.</summary>
    public void Wake()
    {
        if (Interlocked.Exchange(ref _wakeRequested, 1) == 0)
        {
            try
            {
                _wakeSignal.Release();
            }
            catch (ObjectDisposedException)
            {
                // A commit raced with stopping the loop: nothing is left to wake.
            }
            catch (SemaphoreFullException)
            {
                // Already signalled: the pending wake covers this commit too.
            }
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping is the expected way out.
        }

        _stop.Dispose();
        _wakeSignal.Dispose();
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        var delay = _interval;
        var failures = 0;
        var recheck = TimeSpan.Zero;
        var lastCycleEnded = 0L;
        while (!token.IsCancellationRequested)
        {
            try
            {
                var woken = await _wakeSignal.WaitAsync(recheck > TimeSpan.Zero ? recheck : delay, token).ConfigureAwait(false);
                if (woken)
                {
                    // Cleared before the cycle: a commit during the cycle wakes the loop again.
                    Volatile.Write(ref _wakeRequested, 0);
                    await SettleAsync(lastCycleEnded, token).ConfigureAwait(false);
                }

                var afterWake = woken || recheck > TimeSpan.Zero;
                if (afterWake && _sourceAhead is not null && !_sourceAhead())
                {
                    // The commit that woke the loop is applied already (a Strong read's catch-up took it) or not visible
                    // yet: a cycle now would find nothing, and hold the lock the next catch-up may want. Look again after
                    // the next pause; the interval's cycle runs whatever the probe says.
                    recheck = NextRecheck(afterWake, recheck, applied: false);
                    continue;
                }

                var result = await _cycle(token).ConfigureAwait(false);
                lastCycleEnded = Stopwatch.GetTimestamp();
                if (_untilSuccess)
                {
                    return;
                }

                failures = 0;
                delay = _interval;
                recheck = result is null ? TimeSpan.Zero : NextRecheck(afterWake, recheck, applied: result.EventsProcessed > 0);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                recheck = TimeSpan.Zero;
                delay = TimeSpan.FromTicks(Math.Min(s_maxBackoff.Ticks, _interval.Ticks << Math.Min(failures, 16)));
                _logger.BackgroundSyncFailed(ex, failures, delay.TotalMilliseconds);
            }
        }
    }

    /// <summary>Between a wake and its cycle: until the commit that woke the loop is visible (see <see cref="s_settle"/>).</summary>
    private async Task SettleAsync(long lastCycleEnded, CancellationToken token)
    {
        if (_sourceAhead is null || Stopwatch.GetElapsedTime(lastCycleEnded) < s_settle)
        {
            await Task.Delay(s_settle, token).ConfigureAwait(false);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var spin = default(SpinWait);
        while (!_sourceAhead() && Stopwatch.GetElapsedTime(started) < s_settle)
        {
            // Yields the core rather than sleeping a timer tick: the commit lands within microseconds.
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>
    /// After a woken cycle that applied nothing (or was skipped because the probe showed nothing pending), the commit that woke the loop may not have been visible yet: look again
    /// after a short pause, doubling it each time, until the pause would reach the interval. Zero means wait the interval.
    /// </summary>
    private TimeSpan NextRecheck(bool afterWake, TimeSpan previous, bool applied)
    {
        if (!afterWake || applied)
        {
            return TimeSpan.Zero;
        }

        var next = previous > TimeSpan.Zero ? previous * 2 : s_settle;
        return next < _interval ? next : TimeSpan.Zero;
    }
}
