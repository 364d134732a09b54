using Rhei.Data.Sql;

namespace Rhei.Data.Tests.Sql;

/// <summary>The planner on its own: statement text, route request and an in-memory catalog, no connection.</summary>
public class CommandPlannerTest
{
    private static InMemoryMirrorCatalog Catalog() => new(
        new RheiTableSchema("orders", [new RheiColumn("id", "INTEGER", false), new RheiColumn("amount", "REAL"), new RheiColumn("placed", "TEXT")], ["id"]));

    private static CommandPlan Plan(string sql, InMemoryMirrorCatalog catalog, RheiRoute route = RheiRoute.Auto, bool inTransaction = false)
        => CommandPlanner.Plan(new PlanRequest(sql, route, RheiRoute.Auto, inTransaction, 30), catalog);

    [Fact]
    public void Aggregate_over_a_replicated_table_is_planned_for_duckdb_with_translated_sql()
    {
        var plan = Plan("SELECT count(*), sum(amount) FROM orders", Catalog());

        Assert.Equal((RheiRoute.Olap, RouteRule.Analytical), (plan.Target, plan.Rule));
        var statement = Assert.Single(plan.OlapStatements!);
        Assert.Contains("orders", statement.Sql, StringComparison.OrdinalIgnoreCase);
        Assert.True(plan.FallbackToOltp);
    }

    [Fact]
    public void Table_the_catalog_does_not_hold_is_planned_for_sqlite()
    {
        var plan = Plan("SELECT count(*) FROM invoices", Catalog());

        Assert.Equal((RheiRoute.Oltp, RouteRule.NotReplicated), (plan.Target, plan.Rule));
        Assert.Null(plan.OlapStatements);
    }

    [Fact]
    public void Catalog_without_olap_plans_every_read_for_sqlite()
    {
        var plan = Plan("SELECT count(*) FROM orders", new InMemoryMirrorCatalog() { OlapAvailable = false }, RheiRoute.Olap);

        Assert.Equal((RheiRoute.Oltp, RouteRule.OlapUnavailable), (plan.Target, plan.Rule));
    }

    [Fact]
    public void Open_transaction_plans_for_sqlite()
    {
        var plan = Plan("SELECT count(*) FROM orders", Catalog(), inTransaction: true);

        Assert.Equal((RheiRoute.Oltp, RouteRule.InTransaction), (plan.Target, plan.Rule));
    }

    [Fact]
    public void Quarantined_table_in_the_catalog_sends_an_auto_read_to_sqlite()
    {
        var catalog = Catalog();
        catalog.Quarantined["orders"] = "value 'x' does not fit DOUBLE";

        var plan = Plan("SELECT count(*) FROM orders", catalog);

        Assert.Equal((RheiRoute.Oltp, RouteRule.Quarantined), (plan.Target, plan.Rule));
    }

    [Fact]
    public void Forced_olap_read_of_a_quarantined_table_is_refused_naming_table_and_reason()
    {
        var catalog = Catalog();
        catalog.Quarantined["orders"] = "value 'x' does not fit DOUBLE";

        var ex = Assert.Throws<RheiException>(() => Plan("SELECT count(*) FROM orders", catalog, RheiRoute.Olap));

        Assert.Contains("'orders'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("quarantined", ex.Message, StringComparison.Ordinal);
        Assert.Contains("value 'x' does not fit DOUBLE", ex.Message, StringComparison.Ordinal);
        Assert.Contains("SQLite", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Untranslatable_read_is_planned_for_sqlite_with_the_untranslatable_rule()
    {
        var plan = Plan("SELECT typeof(amount), count(*) FROM orders GROUP BY 1", Catalog());

        Assert.Equal((RheiRoute.Oltp, RouteRule.Untranslatable), (plan.Target, plan.Rule));
        Assert.StartsWith("not translatable", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Control_pragma_is_planned_as_a_control_command()
    {
        var plan = Plan("PRAGMA rhei_route('SELECT 1')", Catalog());

        Assert.Equal(RouteRule.Control, plan.Rule);
        Assert.Equal("rhei_route", plan.Control!.Name);
    }

    [Fact]
    public void Column_type_from_the_catalog_reaches_the_translation()
    {
        // Same text, two catalogs: the cached translation must follow the catalog's schema, not the first one seen.
        const string sql = "SELECT sum(placed % 2) FROM orders";
        var asText = Plan(sql, Catalog());
        var asInteger = Plan(sql, new InMemoryMirrorCatalog(
            new RheiTableSchema("orders", [new RheiColumn("id", "INTEGER", false), new RheiColumn("amount", "REAL"), new RheiColumn("placed", "INTEGER")], ["id"])));

        Assert.Equal((RheiRoute.Oltp, RouteRule.Untranslatable), (asText.Target, asText.Rule));
        Assert.Equal((RheiRoute.Olap, RouteRule.Analytical), (asInteger.Target, asInteger.Rule));
    }
}
