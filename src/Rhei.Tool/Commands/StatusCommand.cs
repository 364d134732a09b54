using System.CommandLine;
using System.Globalization;
using Rhei.Data;
using Spectre.Console;

namespace Rhei.Tool.Commands;

/// <summary><c>rhei status</c>: the replication state, and per table its mode, rows, lag, state and quarantine reason.</summary>
internal static class StatusCommand
{
    public static Command Create(ToolConsole console, ConnectionOption connection)
    {
        var command = new Command("status", "Show the sync state: lag, last synced change, and every replicated table.");
        ToolAction.Set(command, console, connection, async (session, parsed, ct) =>
        {
            var status = await session.Connection.GetSyncStatusAsync(ct).ConfigureAwait(false);
            Write(console.Out, status);
        });
        return command;
    }

    public static void Write(IAnsiConsole console, RheiSyncStatus status)
    {
        console.WriteLine($"lag {N(status.Lag)} events · last synced change {N(status.LastSyncedSequence)} · background sync {(status.IsBackgroundSyncRunning ? "running" : "stopped")}");
        if (status.MirrorUnavailableReason is { } unavailable)
        {
            console.WriteLine("mirror unavailable: " + unavailable);
        }

        if (status.LastRebuildReason is { } rebuilt)
        {
            console.WriteLine($"last rebuild {status.LastRebuildAt?.ToString("u", CultureInfo.InvariantCulture)}: {rebuilt}");
        }

        console.Write(Table(status));
    }

    public static Table Table(RheiSyncStatus status)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var heading in new[] { "table", "mode", "rows", "lag", "state", "reason" })
        {
            table.AddColumn(new TableColumn(new Text(heading)));
        }

        foreach (var t in status.Tables)
        {
            table.AddRow(
                new Text(t.Table),
                new Text(t.Mode.ToString().ToLowerInvariant()),
                new Text(N(t.Rows)),
                new Text(N(t.Lag)),
                new Text(t.State.ToString().ToLowerInvariant()),
                new Text(t.QuarantineReason ?? string.Empty));
        }

        return table;
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
