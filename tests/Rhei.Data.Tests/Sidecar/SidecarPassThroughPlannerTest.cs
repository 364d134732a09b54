using Rhei.Data.Sidecar;

namespace Rhei.Data.Tests.Sidecar;

/// <summary>Issue 13, item 4: in PostgreSQL sidecar mode a read is DuckDB SQL, sent to the mirror as written.</summary>
public sealed class SidecarPassThroughPlannerTest
{
    [Fact]
    public void PostgreSql_sidecar_read_goes_to_duckdb_as_written_with_its_parameters()
    {
        const string Sql = "SELECT date_trunc('month', created_at) AS m, count(*) FILTER (WHERE amount > $1) FROM orders GROUP BY ALL";
        var plan = SidecarPassThroughPlanner.TryPlan(Sql, RheiRoute.Auto, inTransaction: false);
        Assert.NotNull(plan);
        Assert.Equal(RheiRoute.Olap, plan.Target);
        var statement = Assert.Single(plan.OlapStatements!);
        Assert.Contains("date_trunc('month', created_at)", statement.Sql, StringComparison.Ordinal);
        Assert.Contains("GROUP BY ALL", statement.Sql, StringComparison.Ordinal);
        Assert.Single(statement.Parameters);
    }

    [Theory]
    [InlineData("INSERT INTO orders VALUES (1)", RheiRoute.Auto, false)]
    [InlineData("SELECT 1", RheiRoute.Oltp, false)]
    [InlineData("SELECT 1", RheiRoute.Auto, true)]
    [InlineData("PRAGMA rhei_status", RheiRoute.Auto, false)]
    public void Writes_transactions_controls_and_forced_sqlite_keep_the_usual_planner(string sql, RheiRoute route, bool inTransaction)
        => Assert.Null(SidecarPassThroughPlanner.TryPlan(sql, route, inTransaction));
}
