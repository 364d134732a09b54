using Rhei.Data.Olap;
using Rhei.Data.Sql;

namespace Rhei.Data.Sidecar;

/// <summary>
/// Plans reads in PostgreSQL sidecar mode: the application speaks PostgreSQL, not SQLite, so a read is DuckDB SQL
/// (which takes most PostgreSQL analytics as written) and goes to the mirror untranslated, parameters bound by DuckDB.
/// Writes, transactions, <c>PRAGMA rhei_*</c> and <c>Route = Oltp</c> keep the usual planner (and the write guard).
/// </summary>
internal static class SidecarPassThroughPlanner
{
    /// <summary>The plan for a PostgreSQL sidecar's read, or null when the usual planner decides.</summary>
    public static CommandPlan? TryPlan(RheiEngine engine, string commandText, RheiRoute requested, bool inTransaction)
        => engine.Sidecar is { Kind: RheiSidecar.PostgreSql } && engine.OlapAvailable ? TryPlan(commandText, requested, inTransaction) : null;

    public static CommandPlan? TryPlan(string commandText, RheiRoute requested, bool inTransaction)
    {
        if (inTransaction || requested == RheiRoute.Oltp)
        {
            return null;
        }

        var statements = SqlAnalyzer.Analyze(commandText).Statements;
        if (statements.Count == 0 || !statements.All(s => s.IsRead))
        {
            return null;
        }

        return new CommandPlan(RheiRoute.Olap, "PostgreSQL sidecar: the read is DuckDB SQL, run on the mirror as written", RouteRule.Requested)
        {
            OlapStatements = statements.Select(s => DuckDbParameterText.ForDuckDb(s, ToOlapRef)).ToArray(),
        };
    }

    private static OlapParameterRef ToOlapRef(SqlParameterRef parameter) => parameter.Style switch
    {
        SqlParameterStyle.Anonymous or SqlParameterStyle.Numbered => new OlapParameterRef(null, parameter.Index - 1),
        _ => new OlapParameterRef(parameter.Name, parameter.Index),
    };
}
