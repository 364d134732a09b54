using System.Data;
using System.Data.Common;
using Rhei.Data.Olap;
using Rhei.Data.Oltp;

namespace Rhei.Data;

/// <summary>
/// The command executes; the reader only reads. Each engine's execution ends here, handing the reader a cursor over
/// results that already exist: SQLite's executed reader, or DuckDB's first result with a runner for the next ones.
/// </summary>
public sealed partial class RheiCommand
{
    private static RheiDataReader CreateOltpReader(RheiConnection connection, DbDataReader executed, CommandBehavior behavior, IAsyncDisposable? schemaChange)
        => new(connection, new SqliteCursor(executed, schemaChange), RheiRoute.Oltp, behavior);

    /// <summary>Binds and runs the plan's first DuckDB statement, so that its errors surface at execution, and returns its reader.</summary>
    private RheiDataReader ExecuteOlapStatements(RheiConnection connection, OlapSession session, CommandPlan plan, CommandBehavior behavior)
    {
        var statements = plan.OlapStatements!;
        var runner = new DuckDbStatementRunner(connection, session, statements, Parameters, plan.OltpText ?? _commandText);
        var first = statements.Count > 0 ? runner.Execute(0) : null;
        try
        {
            return new RheiDataReader(connection, new DuckDbCursor(runner, first), RheiRoute.Olap, behavior);
        }
        catch
        {
            first?.Dispose();
            throw;
        }
    }
}
