using Rhei.Data;
using Rhei.Tool.Commands;
using Spectre.Console;

namespace Rhei.Tool.Repl;

/// <summary>
/// The <c>rhei repl</c> loop: SQL ending in <c>;</c> (over as many lines as it takes) runs on the route in force and
/// shows its rows, engine and time; lines starting with a dot are the shell's own commands. An error is printed and
/// the session goes on.
/// </summary>
internal sealed class ReplSession(ToolSession session, IAnsiConsole console, ILineSource input, ReplHistory history)
{
    private const string Prompt = "rhei> ";
    private const string ContinuationPrompt = "  ..> ";

    private RheiRoute _route = RheiRoute.Auto;
    private bool _timer = true;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var buffer = new StatementBuffer();
        while (!cancellationToken.IsCancellationRequested)
        {
            var line = input.ReadLine(buffer.IsEmpty ? Prompt : ContinuationPrompt);
            if (line is null)
            {
                return;
            }

            if (buffer.IsEmpty && line.TrimStart().StartsWith('.'))
            {
                history.Add(line.Trim());
                if (!await DotCommandAsync(line.Trim(), cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                continue;
            }

            if (buffer.IsEmpty && line.Trim().Length == 0)
            {
                continue;
            }

            buffer.Append(line);
            if (buffer.IsComplete)
            {
                var sql = buffer.Take();
                history.Add(sql);
                await RunSqlAsync(sql, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <returns>False when the command ends the session.</returns>
    private async Task<bool> DotCommandAsync(string line, CancellationToken cancellationToken)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var name = (space < 0 ? line : line[..space]).ToLowerInvariant();
        var argument = space < 0 ? string.Empty : line[(space + 1)..].Trim();
        switch (name)
        {
            case ".quit" or ".exit":
                return false;
            case ".help":
                console.WriteLine(".explain <sql>   the route a statement would take, and why");
                console.WriteLine(".status          sync state and every replicated table");
                console.WriteLine(".route auto|oltp|olap   the route for the statements that follow (now " + _route.ToString().ToLowerInvariant() + ")");
                console.WriteLine(".timer on|off    show the time each statement took");
                console.WriteLine(".history         the statements entered so far");
                console.WriteLine(".quit            leave (also Ctrl+D)");
                break;
            case ".explain" when argument.Length > 0:
                await GuardAsync(() =>
                {
                    using var command = session.Connection.CreateCommand();
                    command.CommandText = argument.TrimEnd(';');
                    command.Route = _route;
                    ExplainCommand.Write(console, command.ExplainRoute());
                    return Task.CompletedTask;
                }).ConfigureAwait(false);
                break;
            case ".status":
                await GuardAsync(async () => StatusCommand.Write(console, await session.Connection.GetSyncStatusAsync(cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
                break;
            case ".route" when RouteParser.TryParse(argument, out var route):
                _route = route;
                console.WriteLine("route: " + route.ToString().ToLowerInvariant());
                break;
            case ".route":
                console.WriteLine($"route: {_route.ToString().ToLowerInvariant()} (use .route {RouteParser.Accepted})");
                break;
            case ".timer" when argument is "on" or "off":
                _timer = argument == "on";
                console.WriteLine("timer: " + argument);
                break;
            case ".timer":
                console.WriteLine("timer: " + (_timer ? "on" : "off") + " (use .timer on|off)");
                break;
            case ".history":
                for (var i = 0; i < history.Count; i++)
                {
                    console.WriteLine($"{i + 1,5}  {history[i].ReplaceLineEndings(" ")}");
                }

                break;
            default:
                console.WriteLine($"error: unknown command '{name}' (.help lists them)");
                break;
        }

        return true;
    }

    private Task RunSqlAsync(string sql, CancellationToken cancellationToken) => GuardAsync(async () =>
    {
        await using var command = session.Connection.CreateCommand();
        command.CommandText = sql;
        command.Route = _route;
        await ResultRenderer.QueryAsync(console, command, 1000, _timer, cancellationToken).ConfigureAwait(false);
    });

    private async Task GuardAsync(Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or ArgumentException)
        {
            console.WriteLine("error: " + SecretScrubber.Scrub(ex.Message, session.ConnectionString).ReplaceLineEndings(" "));
        }
    }
}
