namespace Rhei.Data.Sql;

/// <summary>What the command layer hands the planner about one execution: the text and how the caller asked it to run.</summary>
/// <param name="CommandText">The statement text as the caller wrote it.</param>
/// <param name="Route">The route requested on the command (<c>RheiCommand.Route</c>).</param>
/// <param name="DefaultRoute">The data source's default for reads the rules leave open.</param>
/// <param name="InTransaction">An explicit transaction is open on the connection.</param>
/// <param name="TimeoutSeconds">The command timeout, which also bounds planning (0 = none).</param>
internal readonly record struct PlanRequest(string CommandText, RheiRoute Route, RheiRoute DefaultRoute, bool InTransaction, int TimeoutSeconds)
{
    /// <summary>
    /// <c>Full Scan Threshold</c>: rows a replicated table must hold before SQLite's query plan moves a read to or from
    /// DuckDB (a full scan goes to DuckDB, a keyed search stays on SQLite); 0 leaves routing to the statement's shape.
    /// </summary>
    public long FullScanThreshold { get; init; }
}
