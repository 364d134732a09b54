using Spectre.Console;
using System.CommandLine;
using System.Globalization;

namespace Rhei.Tool.Commands;

/// <summary><c>rhei exec "&lt;sql&gt;"</c>: runs statements (writes go to SQLite) and prints how many rows they changed.</summary>
internal static class ExecCommand
{
    public static Command Create(ToolConsole console, ConnectionOption connection)
    {
        var sql = new Argument<string>("sql") { Description = "The statements to run." };
        var command = new Command("exec", "Run statements (DDL, INSERT, UPDATE, DELETE) and print the rows affected.") { sql };
        ToolAction.Set(command, console, connection, async (session, parsed, ct) =>
        {
            await using var exec = session.Connection.CreateCommand();
            exec.CommandText = parsed.GetValue(sql)!;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var affected = await exec.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            var count = Math.Max(affected, 0).ToString("N0", CultureInfo.InvariantCulture);
            console.Out.WriteLine($"{count} {(affected == 1 ? "row" : "rows")} affected · {ResultRenderer.Milliseconds(elapsed)}");
        });
        return command;
    }
}
