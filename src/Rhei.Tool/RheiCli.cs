using System.CommandLine;
using Rhei.Tool.Commands;

namespace Rhei.Tool;

/// <summary>The <c>rhei</c> command line: one subcommand per task, the connection string for all of them.</summary>
internal static class RheiCli
{
    public static async Task<int> RunAsync(string[] args, ToolConsole console)
    {
        var root = CreateRootCommand(console);
        var parsed = root.Parse(args);
        var configuration = new InvocationConfiguration { Output = console.Out.Profile.Out.Writer, Error = console.Error };
        return await parsed.InvokeAsync(configuration).ConfigureAwait(false);
    }

    public static RootCommand CreateRootCommand(ToolConsole console)
    {
        var connection = new ConnectionOption();
        var root = new RootCommand("rhei: SQLite for every write, a DuckDB mirror for the analytics, one SQL. Commands take the connection string as --connection or from RHEI_CONNECTION.");
        root.Options.Add(connection);
        root.Subcommands.Add(ExecCommand.Create(console, connection));
        root.Subcommands.Add(QueryCommand.Create(console, connection));
        root.Subcommands.Add(ExplainCommand.Create(console, connection));
        root.Subcommands.Add(StatusCommand.Create(console, connection));
        root.Subcommands.Add(SyncCommand.Create(console, connection));
        root.Subcommands.Add(ExportCommand.Create(console, connection));
        root.Subcommands.Add(ReplCommand.Create(console, connection));
        root.Subcommands.Add(DashboardCommand.Create(console, connection));
        root.Subcommands.Add(ServeCommand.Create(console, connection));
        return root;
    }
}
