namespace Rhei.Data;

/// <summary>Which engine runs a command and why, as decided by the router.</summary>
/// <param name="Target">The engine: <see cref="RheiRoute.Oltp"/> (SQLite) or <see cref="RheiRoute.Olap"/> (DuckDB).</param>
/// <param name="Reason">A short human explanation naming the table or feature that decided it.</param>
/// <param name="Rule">The routing rule that applied, stable enough for metrics and tests.</param>
/// <param name="OlapSql">The SQL DuckDB runs, when the target is DuckDB.</param>
public sealed record RheiRouteExplanation(RheiRoute Target, string Reason, string Rule, string? OlapSql);
