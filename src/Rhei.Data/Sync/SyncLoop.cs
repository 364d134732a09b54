using Microsoft.Extensions.Logging;
using Rhei.Data.Diagnostics;

namespace Rhei.Data.Sync;

/// <summary>
/// Runs sync cycles on an interval until stopped. A failing cycle is logged and retried with
/// exponential backoff; nothing is lost because the watermark only moves with a committed apply.
/// </summary>
internal sealed class SyncLoop
{
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(5);
    private readonly Func<CancellationToken, Task> _cycle;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly bool _untilSuccess;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _task;

    /// <param name="cycle">One cycle.</param>
    /// <param name="interval">Pause between cycles, and the first backoff step.</param>
    /// <param name="logger">Where failures are logged.</param>
    /// <param name="untilSuccess">Stop after the first cycle that succeeds (a recovery loop), instead of running until stopped.</param>
    public SyncLoop(Func<CancellationToken, Task> cycle, TimeSpan interval, ILogger logger, bool untilSuccess = false)
    {
        _cycle = cycle;
        _untilSuccess = untilSuccess;
        _interval = interval <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : interval;
        _logger = logger;
        _task = Task.Run(RunAsync);
    }

    public bool IsRunning => !_task.IsCompleted && !_stop.IsCancellationRequested;

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
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        var delay = _interval;
        var failures = 0;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, token).ConfigureAwait(false);
                await _cycle(token).ConfigureAwait(false);
                if (_untilSuccess)
                {
                    return;
                }

                failures = 0;
                delay = _interval;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                delay = TimeSpan.FromTicks(Math.Min(s_maxBackoff.Ticks, _interval.Ticks << Math.Min(failures, 16)));
                _logger.BackgroundSyncFailed(ex, failures, delay.TotalMilliseconds);
            }
        }
    }
}
