using System.CommandLine;
using Rhei.Tool.Dashboard;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Rhei.Tool.Commands;

/// <summary>
/// <c>rhei dashboard</c>: a live view of lag, events/s, route decisions and recent errors, refreshed until q (or
/// Ctrl+C). On a terminal it redraws in place; with redirected output it prints one frame per refresh, and
/// <c>--once</c> prints a single frame and exits.
/// </summary>
internal static class DashboardCommand
{
    public static Command Create(ToolConsole console, ConnectionOption connection)
    {
        var interval = new Option<int>("--interval") { Description = "Milliseconds between refreshes.", DefaultValueFactory = _ => 1000 };
        var once = new Option<bool>("--once") { Description = "Print one frame and exit." };
        var command = new Command("dashboard", "A live terminal view of the sync: lag, events/s, route decisions, recent errors (q quits).") { interval, once };
        ToolAction.Set(command, console, connection, async (session, parsed, ct) =>
        {
            using var counters = new RheiMeterTotals();
            using var quit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var period = TimeSpan.FromMilliseconds(Math.Max(100, parsed.GetValue(interval)));
            var frames = new FrameSource(session, counters);
            if (parsed.GetValue(once))
            {
                console.Out.Write(await frames.NextAsync(ct).ConfigureAwait(false));
                console.Out.WriteLine();
                return;
            }

            // The first frame is drawn before q is listened for, so even an immediate q shows one picture.
            var first = await frames.NextAsync(ct).ConfigureAwait(false);
            _ = WatchForQuitAsync(console, quit);
            try
            {
                if (console.OutputIsTerminal)
                {
                    await console.Out.Live(first).StartAsync(async live =>
                    {
                        while (!quit.IsCancellationRequested)
                        {
                            await Task.Delay(period, quit.Token).ConfigureAwait(false);
                            live.UpdateTarget(await frames.NextAsync(quit.Token).ConfigureAwait(false));
                        }
                    }).ConfigureAwait(false);
                }
                else
                {
                    console.Out.Write(first);
                    console.Out.WriteLine();
                    while (!quit.IsCancellationRequested)
                    {
                        await Task.Delay(period, quit.Token).ConfigureAwait(false);
                        console.Out.Write(await frames.NextAsync(quit.Token).ConfigureAwait(false));
                        console.Out.WriteLine();
                    }
                }
            }
            catch (OperationCanceledException) when (quit.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                // q was pressed: a normal end.
            }
        });
        return command;
    }

    /// <summary>Cancels the view when q arrives: a key on a terminal, a character on redirected input (end of input too).</summary>
    private static Task WatchForQuitAsync(ToolConsole console, CancellationTokenSource quit) => Task.Run(async () =>
    {
        while (!quit.IsCancellationRequested)
        {
            if (console.InputIsTerminal)
            {
                if (Console.KeyAvailable && char.ToLowerInvariant(Console.ReadKey(intercept: true).KeyChar) == 'q')
                {
                    break;
                }

                await Task.Delay(50).ConfigureAwait(false);
                continue;
            }

            var next = console.In.Read();
            if (next < 0)
            {
                // End of redirected input: keep refreshing until Ctrl+C/SIGTERM, as on a terminal nobody types at.
                return;
            }

            if (char.ToLowerInvariant((char)next) == 'q')
            {
                break;
            }
        }

        await quit.CancelAsync().ConfigureAwait(false);
    });

    /// <summary>Builds frames and the events/s between two of them.</summary>
    private sealed class FrameSource(ToolSession session, RheiMeterTotals counters)
    {
        private long _lastSequence = -1;
        private long _lastAt;

        public async Task<IRenderable> NextAsync(CancellationToken ct)
        {
            var status = await session.Connection.GetSyncStatusAsync(ct).ConfigureAwait(false);
            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            var rate = 0.0;
            if (_lastSequence >= 0)
            {
                var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(_lastAt, now).TotalSeconds;
                rate = seconds > 0 ? Math.Max(0, status.LastSyncedSequence - _lastSequence) / seconds : 0;
            }

            _lastSequence = status.LastSyncedSequence;
            _lastAt = now;
            return DashboardFrame.Render(status, rate, counters.Snapshot(), session.Log.Entries);
        }
    }
}
