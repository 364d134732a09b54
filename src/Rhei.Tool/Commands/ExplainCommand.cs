using System.CommandLine;
using Spectre.Console;

namespace Rhei.Tool.Commands;

/// <summary><c>rhei explain "&lt;sql&gt;"</c>: which engine would answer, by which rule and why, and the DuckDB SQL.</summary>
internal static class ExplainCommand
{
    public static Command Create(ToolConsole console, ConnectionOption connection)
    {
        var sql = new Argument<string>("sql") { Description = "The SQL to plan (it is not run)." };
        var route = new Option<string>("--route", "-r") { Description = "auto, oltp or olap.", DefaultValueFactory = _ => "auto" };
        var command = new Command("explain", "Show the route Rhei would take for a statement, without running it.") { sql, route };
        ToolAction.Set(command, console, connection, (session, parsed, ct) =>
        {
            using var plan = session.Connection.CreateCommand();
            plan.CommandText = parsed.GetValue(sql)!;
            plan.Route = RouteParser.Parse(parsed.GetValue(route));
            Write(console.Out, plan.ExplainRoute());
            return Task.CompletedTask;
        });
        return command;
    }

    public static void Write(IAnsiConsole console, Rhei.Data.RheiRouteExplanation explanation)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow(new Text("engine"), new Text(ResultRenderer.EngineName(explanation.Target)));
        grid.AddRow(new Text("rule"), new Text(explanation.Rule));
        grid.AddRow(new Text("reason"), new Text(explanation.Reason));
        if (explanation.OlapSql is { } olapSql)
        {
            grid.AddRow(new Text("duckdb sql"), new Text(olapSql));
        }

        console.Write(grid);
    }
}
