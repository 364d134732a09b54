using System.Globalization;
using Rhei.Data;
using Rhei.Tool.Commands;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Rhei.Tool.Dashboard;

/// <summary>One picture of the dashboard: lag and throughput, the tables, the counters, the recent warnings.</summary>
internal static class DashboardFrame
{
    public static IRenderable Render(RheiSyncStatus status, double eventsPerSecond, IReadOnlyList<KeyValuePair<string, double>> counters, IReadOnlyList<RecentLogEntry> recent)
    {
        var rows = new List<IRenderable>
        {
            new Text($"lag {N(status.Lag)} events · applied through change {N(status.LastSyncedSequence)} · {eventsPerSecond.ToString("N0", CultureInfo.InvariantCulture)} events/s · background sync {(status.IsBackgroundSyncRunning ? "running" : "stopped")}"),
        };
        if (status.MirrorUnavailableReason is { } unavailable)
        {
            rows.Add(new Text("mirror unavailable: " + unavailable));
        }

        rows.Add(StatusCommand.Table(status));
        var counterTable = new Table().Border(TableBorder.Rounded).AddColumn("counter").AddColumn(new TableColumn("total").RightAligned());
        foreach (var (name, total) in counters)
        {
            counterTable.AddRow(new Text(name), new Text(total.ToString("N0", CultureInfo.InvariantCulture)));
        }

        rows.Add(new Text("route decisions and counters (this process)"));
        rows.Add(counterTable);
        rows.Add(new Text(recent.Count == 0 ? "recent errors: none" : "recent errors:"));
        foreach (var entry in recent.TakeLast(5))
        {
            rows.Add(new Text($"  {entry.At.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} {entry.Level}: {entry.Message}"));
        }

        rows.Add(new Text("q to quit"));
        return new Rows(rows);
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
