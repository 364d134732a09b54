using Rhei.Data.Diagnostics;
using Rhei.Data.Sql;

namespace Rhei.Data;

/// <summary>Planning: what the command hands the planner, and which plans it keeps for the next execution.</summary>
public sealed partial class RheiCommand
{
    /// <summary>Checks the command can run and decides where; every execution path starts here.</summary>
    private (RheiConnection Connection, CommandPlan Plan) PlanExecution(string operation, CancellationToken cancellationToken)
    {
        var connection = RequireConnection(operation);
        connection.RequireOpen(operation);
        if (connection.Transaction is not null && _transaction is null)
        {
            // Microsoft.Data.Sqlite demands the transaction be set; EF and Dapper set it. Be as strict.
            throw new InvalidOperationException("Execute requires the command to have a transaction object when the connection assigned to the command is in a pending local transaction. The Transaction property of the command has not been initialized.");
        }

        if (_transaction is not null && !ReferenceEquals(_transaction.Connection, connection))
        {
            throw new InvalidOperationException("The transaction object is not associated with the same connection object as this command.");
        }

        if (string.IsNullOrWhiteSpace(_commandText))
        {
            throw new InvalidOperationException($"{operation} can only be called when CommandText is set to SQL.");
        }

        var inTransaction = connection.Transaction is not null;
        var plan = _cachedPlan;
        if (plan is null || !ReferenceEquals(_cachedPlanText, _commandText) || _cachedPlanRoute != Route || _cachedPlanInTransaction != inTransaction)
        {
            try
            {
                plan = Plan(connection, cancellationToken);
            }
            catch (Exception ex) when (RheiException.TryTranslate(ex, out var translated))
            {
                // Planning asks SQLite (query plans) and reads the mirror's state: their failures name the engine too.
                throw translated;
            }

            // Only decisions that replication state cannot change are kept: writes, point lookups, forced SQLite…
            // a read that went to DuckDB (or to SQLite because a table is not replicated) is decided afresh.
            var stable = plan.Target == RheiRoute.Oltp && plan.Control is null && IsStableOltpRule(plan.Rule);
            _cachedPlan = stable ? plan : null;
            _cachedPlanText = _commandText;
            _cachedPlanRoute = Route;
            _cachedPlanInTransaction = inTransaction;
        }

        Sidecar.SidecarWriteGuard.ThrowIfRefused(connection.Engine, plan, _commandText);
        RheiDiagnostics.RecordRoute(plan.Target, plan.Rule, connection.Options.RedactedConnectionString);
        return (connection, plan);
    }

    /// <summary>The rules whose SQLite decision no change of replication state can overturn.</summary>
    private static bool IsStableOltpRule(RouteRule rule) => rule is RouteRule.InTransaction or RouteRule.Requested or RouteRule.Hint
        or RouteRule.DefaultRoute or RouteRule.SideEffects or RouteRule.Lookup or RouteRule.NoTables;

    /// <summary>Hands the planner this command's text and route, the connection's transaction state and the mirror's catalog.</summary>
    internal CommandPlan Plan(RheiConnection connection, CancellationToken cancellationToken = default)
        => Sidecar.SidecarPassThroughPlanner.TryPlan(connection.Engine, CommandText, Route, connection.Transaction is not null) ?? CommandPlanner.Plan(
            new PlanRequest(CommandText, Route, connection.Options.DefaultRoute, connection.Transaction is not null, CommandTimeout),
            connection.Engine.Catalog,
            cancellationToken);

    private CommandPlan? _cachedPlan;
    private string? _cachedPlanText;
    private RheiRoute _cachedPlanRoute;
    private bool _cachedPlanInTransaction;
}
