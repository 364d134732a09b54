using Microsoft.EntityFrameworkCore;
using Rhei.Data;
using Rhei.EntityFrameworkCore.Tests.Model;

namespace Rhei.EntityFrameworkCore.Tests;

/// <summary>Analytical LINQ gives the same answer under UseRhei as under plain UseSqlite, on DuckDB when it can.</summary>
public sealed class AnalyticalQueryTest : IDisposable
{
    private readonly TempDatabase _db = new();

    public AnalyticalQueryTest()
    {
        using var context = _db.CreateContext();
        context.Database.EnsureCreated();
        Seed.Commerce(context);
    }

    public void Dispose() => _db.Dispose();

    [Fact]
    public void GroupBy_with_Sum_and_Count_matches_sqlite_and_runs_on_duckdb()
    {
        var rhei = Run(c => c.OrderLines
            .GroupBy(l => l.ProductId)
            .Select(g => new { g.Key, Quantity = g.Sum(l => l.Quantity), Lines = g.Count() })
            .OrderBy(x => x.Key)
            .ToList());
        var sqlite = RunSqlite(c => c.OrderLines
            .GroupBy(l => l.ProductId)
            .Select(g => new { g.Key, Quantity = g.Sum(l => l.Quantity), Lines = g.Count() })
            .OrderBy(x => x.Key)
            .ToList());

        Assert.NotEmpty(rhei);
        Assert.Equal(sqlite, rhei);
        Assert.Equal(RheiRoute.Olap, _db.Routes.LastRoute);
    }

    [Fact]
    public void Join_with_grouping_matches_sqlite_and_runs_on_duckdb()
    {
        static List<(string City, int Orders)> Query(CommerceContext c) => c.Orders
            .Join(c.Customers, o => o.CustomerId, cu => cu.Id, (o, cu) => new { cu.Address.City, o.Id })
            .GroupBy(x => x.City)
            .Select(g => new { City = g.Key, Orders = g.Count() })
            .OrderBy(x => x.City)
            .AsEnumerable()
            .Select(x => (x.City, x.Orders))
            .ToList();

        var rhei = Run(Query);
        Assert.Equal(RunSqlite(Query), rhei);
        Assert.Equal([("Lima", 2), ("Oslo", 4)], rhei);
        Assert.Equal(RheiRoute.Olap, _db.Routes.LastRoute);
    }

    [Fact]
    public void OrderBy_Take_over_a_join_matches_sqlite()
    {
        static List<(int Order, string Customer, DateTime At)> Query(CommerceContext c) => c.Orders
            .Include(o => o.Customer)
            .OrderByDescending(o => o.OrderedAt)
            .Take(3)
            .AsEnumerable()
            .Select(o => (o.Id, o.Customer!.Name, o.OrderedAt))
            .ToList();

        var rhei = Run(Query);
        Assert.Equal(3, rhei.Count);
        Assert.Equal(RunSqlite(Query), rhei);
    }

    [Fact]
    public void Decimal_aggregates_use_ef_functions_and_stay_exact_on_sqlite()
    {
        static List<(int Product, decimal Revenue, decimal Max)> Query(CommerceContext c) => c.OrderLines
            .GroupBy(l => l.ProductId)
            .Select(g => new { g.Key, Revenue = g.Sum(l => l.UnitPrice * l.Quantity), Max = g.Max(l => l.UnitPrice) })
            .OrderBy(x => x.Key)
            .AsEnumerable()
            .Select(x => (x.Key, x.Revenue, x.Max))
            .ToList();

        var rhei = Run(Query);
        Assert.Equal(RunSqlite(Query), rhei);
        Assert.Contains(_db.Routes.Readers, r => r.Sql.Contains("ef_sum", StringComparison.Ordinal));
        // DuckDB has no ef_* functions: the translator refuses and SQLite answers, exactly.
        Assert.Equal(RheiRoute.Oltp, _db.Routes.LastRoute);
        var inMemory = Run(c => c.OrderLines.AsNoTracking().AsEnumerable()
            .GroupBy(l => l.ProductId)
            .Select(g => (g.Key, g.Sum(l => l.UnitPrice * l.Quantity), g.Max(l => l.UnitPrice)))
            .OrderBy(x => x.Key)
            .ToList());
        Assert.Equal(inMemory, rhei);
    }

    [Fact]
    public void AsOlap_and_AsOltp_tag_the_sql_and_the_router_follows()
    {
        using var context = _db.CreateContext();
        var olap = context.Products.Where(p => p.Id > 0).AsOlap();
        Assert.StartsWith("-- rhei:olap", olap.ToQueryString(), StringComparison.Ordinal);
        Assert.StartsWith("-- rhei:oltp", context.Customers.AsOltp().ToQueryString(), StringComparison.Ordinal);

        var ids = olap.Select(p => p.Id).OrderBy(id => id).ToList();
        Assert.Equal(RheiRoute.Olap, _db.Routes.LastRoute);
        Assert.Equal([1, 2, 3, 4], ids);

        _ = context.OrderLines.GroupBy(l => l.OrderId).Select(g => g.Count()).AsOltp().ToList();
        Assert.Equal(RheiRoute.Oltp, _db.Routes.LastRoute);
    }

    [Fact]
    public void Generated_sql_run_through_a_RheiCommand_reports_its_route()
    {
        using var context = _db.CreateContext();
        var sql = context.OrderLines.GroupBy(l => l.ProductId).Select(g => new { g.Key, N = g.Count() }).ToQueryString();

        using var connection = new RheiConnection(_db.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = 0;
        while (reader.Read())
        {
            rows++;
        }

        Assert.Equal(4, rows);
        Assert.Equal(RheiRoute.Olap, reader.Route);
    }

    private T Run<T>(Func<CommerceContext, T> query)
    {
        using var context = _db.CreateContext();
        return query(context);
    }

    private T RunSqlite<T>(Func<CommerceContext, T> query)
    {
        using var context = _db.CreateSqliteContext();
        return query(context);
    }
}
