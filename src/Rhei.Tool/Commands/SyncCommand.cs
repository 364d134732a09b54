using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Rhei.Tool.Commands;

/// <summary>
/// <c>rhei sync</c>: one sync cycle and its counts; <c>rhei sync --initial &lt;table&gt;</c>: copies a table to its mirror
/// afresh with a progress bar and the rate in rows/s.
/// </summary>
internal static class SyncCommand
{
    public static Command Create(ToolConsole console, ConnectionOption connection)
    {
        var initial = new Option<string?>("--initial") { Description = "Copy this table to its mirror afresh (lifts a quarantine once its values are repaired)." };
        var command = new Command("sync", "Apply every committed change to the mirror now, or reload one table with --initial.") { initial };
        ToolAction.Set(command, console, connection, async (session, parsed, ct) =>
        {
            if (parsed.GetValue(initial) is { } table)
            {
                await InitialAsync(console, session, table, ct).ConfigureAwait(false);
                return;
            }

            var result = await session.Connection.SyncAsync(ct).ConfigureAwait(false);
            console.Out.WriteLine(
                $"synced {N(result.EventsProcessed)} events: {N(result.RowsInserted)} inserted, {N(result.RowsUpdated)} updated, {N(result.RowsDeleted)} deleted"
                + (result.EventsPruned is { } pruned ? $", {N(pruned)} pruned" : string.Empty)
                + " · " + ResultRenderer.Milliseconds(result.Duration));
        });
        return command;
    }

    private static async Task InitialAsync(ToolConsole console, ToolSession session, string table, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        long rows;
        if (console.OutputIsTerminal)
        {
            rows = 0;
            await console.Out.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new SpinnerColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask($"copying {Markup.Escape(table)}", maxValue: 1);
                    task.IsIndeterminate = true;
                    var progress = new Progress<long>(n =>
                    {
                        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
                        task.Description = $"copying {Markup.Escape(table)}: {N(n)} rows · {Rate(n, seconds)}";
                    });
                    rows = await session.Connection.InitialSyncAsync(table, progress, ct).ConfigureAwait(false);
                    task.IsIndeterminate = false;
                    task.Value = 1;
                }).ConfigureAwait(false);
        }
        else
        {
            rows = await session.Connection.InitialSyncAsync(table, null, ct).ConfigureAwait(false);
        }

        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        console.Out.WriteLine($"copied {N(rows)} rows of {table} · {ResultRenderer.Milliseconds(elapsed)} · {Rate(rows, elapsed.TotalSeconds)}");
    }

    private static string Rate(long rows, double seconds)
        => seconds <= 0 ? "-" : (rows / seconds).ToString("N0", CultureInfo.InvariantCulture) + " rows/s";

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
