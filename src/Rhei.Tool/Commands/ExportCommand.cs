using Spectre.Console;
using System.CommandLine;
using System.Globalization;

namespace Rhei.Tool.Commands;

/// <summary><c>rhei export &lt;table|query&gt; &lt;dir&gt; [--partition-by col]</c>: Parquet files through DuckDB's COPY.</summary>
internal static class ExportCommand
{
    public static Command Create(ToolConsole console, ConnectionOption connection)
    {
        var source = new Argument<string>("source") { Description = "A replicated table, or a SELECT DuckDB answers." };
        var directory = new Argument<string>("directory") { Description = "Where the Parquet files go (created when missing)." };
        var partitionBy = new Option<string?>("--partition-by", "-p") { Description = "Write one folder per value of this column (column=value/)." };
        var command = new Command("export", "Write a table or a query to Parquet files.") { source, directory, partitionBy };
        ToolAction.Set(command, console, connection, async (session, parsed, ct) =>
        {
            var target = parsed.GetValue(directory)!;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var rows = await session.Connection.ExportParquetAsync(parsed.GetValue(source)!, target, parsed.GetValue(partitionBy), ct).ConfigureAwait(false);
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            console.Out.WriteLine($"exported {rows.ToString("N0", CultureInfo.InvariantCulture)} rows to {target} · {ResultRenderer.Milliseconds(elapsed)}");
        });
        return command;
    }
}
