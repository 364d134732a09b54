using Rhei.Data.Sql;

namespace Rhei.Data.Tests.Sql;

public class SqlRouterTest
{
    private static readonly RouteContext s_ready = new()
    {
        OlapAvailable = true,
        Catalog = new InMemoryMirrorCatalog
        {
            AlsoReplicated = name => name is "orders" or "customers" or "main.orders" or "bad",
            Quarantined = { ["bad"] = "a value does not fit the mirror" },
        },
    };

    private static RouteDecision Route(string sql, RouteContext? ctx = null)
    {
        var stmt = Assert.Single(SqlAnalyzer.AnalyzeUncached(sql).Statements);
        var c = ctx ?? s_ready;
        return SqlRouter.Decide(stmt, in c);
    }

    [Fact]
    public void Decide_olap_unavailable_goes_oltp()
    {
        var d = Route("SELECT count(*) FROM orders", s_ready with { OlapAvailable = false });
        Assert.Equal((RheiRoute.Oltp, RouteRule.OlapUnavailable), (d.Target, d.Rule));
    }

    [Fact]
    public void Decide_in_transaction_goes_oltp_even_with_hint()
    {
        var d = Route("/*+ rhei:olap */ SELECT count(*) FROM orders", s_ready with { InTransaction = true });
        Assert.Equal((RheiRoute.Oltp, RouteRule.InTransaction), (d.Target, d.Rule));
    }

    [Fact]
    public void Decide_requested_beats_hint()
    {
        var d = Route("/*+ rhei:olap */ SELECT count(*) FROM orders", s_ready with { Requested = RheiRoute.Oltp });
        Assert.Equal((RheiRoute.Oltp, RouteRule.Requested), (d.Target, d.Rule));
    }

    [Fact]
    public void Decide_hint_beats_default_route_and_shape()
    {
        var d = Route("-- rhei:olap\nSELECT * FROM orders WHERE id = 1", s_ready with { DefaultRoute = RheiRoute.Oltp });
        Assert.Equal((RheiRoute.Olap, RouteRule.Hint), (d.Target, d.Rule));
    }

    [Fact]
    public void Decide_write_forced_to_olap_is_refused()
    {
        var d = Route("/*+ rhei:olap */ DELETE FROM orders");
        Assert.Equal(RouteRule.WriteToOlapRefused, d.Rule);
        Assert.True(d.IsRefused);
        Assert.Contains("write", d.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("INSERT INTO orders VALUES (1)")]
    [InlineData("CREATE TABLE x (a)")]
    [InlineData("PRAGMA journal_mode")]
    [InlineData("BEGIN")]
    public void Decide_side_effects_go_oltp(string sql)
    {
        var d = Route(sql);
        Assert.Equal((RheiRoute.Oltp, RouteRule.SideEffects), (d.Target, d.Rule));
    }

    [Fact]
    public void Decide_unreplicated_table_goes_oltp_with_reason()
    {
        var d = Route("SELECT count(*) FROM orders JOIN audit ON 1");
        Assert.Equal((RheiRoute.Oltp, RouteRule.NotReplicated), (d.Target, d.Rule));
        Assert.Equal("table 'audit' is not replicated", d.Reason);
    }

    [Fact]
    public void Decide_quarantined_table_goes_oltp()
    {
        var d = Route("SELECT count(*) FROM bad");
        Assert.Equal((RheiRoute.Oltp, RouteRule.Quarantined), (d.Target, d.Rule));
        Assert.Equal("table 'bad' is quarantined", d.Reason);
    }

    [Theory]
    [InlineData("SELECT * FROM orders FOR SYSTEM_TIME AS OF 5 WHERE id = 1")]
    [InlineData("SELECT _rhei_valid_from FROM orders WHERE id = 1")]
    public void Decide_temporal_goes_olap(string sql)
    {
        var d = Route(sql, s_ready with { TemporalMode = true });
        Assert.Equal((RheiRoute.Olap, RouteRule.Temporal), (d.Target, d.Rule));
    }

    [Fact]
    public void Decide_duckdb_only_syntax_goes_olap()
    {
        var d = Route("SELECT id::VARCHAR FROM orders WHERE id = 1");
        Assert.Equal((RheiRoute.Olap, RouteRule.DuckDbOnlySyntax), (d.Target, d.Rule));
    }

    [Fact]
    public void Decide_analytical_shape_goes_olap()
    {
        var d = Route("SELECT customer, sum(total) FROM main.orders GROUP BY customer");
        Assert.Equal((RheiRoute.Olap, RouteRule.Analytical), (d.Target, d.Rule));
        Assert.Equal("aggregate over replicated tables", d.Reason);
    }

    [Theory]
    [InlineData("SELECT * FROM orders WHERE id = @id", "point lookup")]
    [InlineData("SELECT * FROM orders WHERE id > 5", "range lookup")]
    [InlineData("SELECT id, total FROM orders", "plain select")]
    public void Decide_lookups_and_plain_selects_go_oltp(string sql, string reason)
    {
        var d = Route(sql);
        Assert.Equal((RheiRoute.Oltp, RouteRule.Lookup, reason), (d.Target, d.Rule, d.Reason));
    }

    [Fact]
    public void Decide_no_tables_goes_oltp()
    {
        var d = Route("SELECT count(*) FROM (SELECT 1)");
        Assert.Equal((RheiRoute.Oltp, RouteRule.NoTables), (d.Target, d.Rule));
    }

    [Fact]
    public void Decide_default_route_applies_to_undecided_reads()
    {
        var d = Route("SELECT * FROM orders WHERE id = 1", s_ready with { DefaultRoute = RheiRoute.Olap });
        Assert.Equal((RheiRoute.Olap, RouteRule.DefaultRoute), (d.Target, d.Rule));
    }
}
