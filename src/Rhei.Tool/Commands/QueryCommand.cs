using System.CommandLine;

namespace Rhei.Tool.Commands;

/// <summary><c>rhei query "&lt;sql&gt;"</c>: the result as a table, the engine that answered and the time.</summary>
internal static class QueryCommand
{
    public static Command Create(ToolConsole console, ConnectionOption connection)
    {
        var sql = new Argument<string>("sql") { Description = "The SQL to run (SQLite SQL; Rhei routes it)." };
        var route = new Option<string>("--route", "-r") { Description = "auto, oltp or olap.", DefaultValueFactory = _ => "auto" };
        var maxRows = new Option<int>("--max-rows") { Description = "Rows to draw at most (all are read and counted).", DefaultValueFactory = _ => 1000 };
        var command = new Command("query", "Run a query and show its rows, which engine answered and how long it took.") { sql, route, maxRows };
        ToolAction.Set(command, console, connection, async (session, parsed, ct) =>
        {
            await using var query = session.Connection.CreateCommand();
            query.CommandText = parsed.GetValue(sql)!;
            query.Route = RouteParser.Parse(parsed.GetValue(route));
            await ResultRenderer.QueryAsync(console.Out, query, Math.Max(0, parsed.GetValue(maxRows)), timer: true, ct).ConfigureAwait(false);
        });
        return command;
    }
}
