using Spectre.Console;
using System.CommandLine;
using Rhei.Tool.Repl;

namespace Rhei.Tool.Commands;

/// <summary><c>rhei repl</c>: an interactive SQL prompt (or a script read from standard input).</summary>
internal static class ReplCommand
{
    public static Command Create(ToolConsole console, ConnectionOption connection)
    {
        var command = new Command("repl", "An interactive SQL prompt: statements end with ';', .help lists the dot commands.");
        ToolAction.Set(command, console, connection, async (session, parsed, ct) =>
        {
            var history = new ReplHistory(ReplHistory.DefaultFile(console.InputIsTerminal));
            ILineSource input = console.InputIsTerminal && console.OutputIsTerminal ? new TerminalLineEditor(history) : new RedirectedLineSource(console.In);
            if (console.InputIsTerminal)
            {
                console.Out.WriteLine($"rhei repl on {session.Connection.DataSource}: end statements with ';', .help for commands, .quit to leave");
            }

            await new ReplSession(session, console.Out, input, history).RunAsync(ct).ConfigureAwait(false);
        });
        return command;
    }
}
