using Microsoft.EntityFrameworkCore;
using Rhei.Data;
using Rhei.EntityFrameworkCore.Tests.Model;

namespace Rhei.EntityFrameworkCore.Tests;

/// <summary>Point-in-time and history queries over a Sync Mode=Temporal database, answered by the DuckDB mirror.</summary>
public sealed class TemporalQueryTest : IDisposable
{
    private readonly TempDatabase _db = new("Sync Mode=Temporal");
    private readonly DateTime _beforeChange;
    private readonly DateTime _afterChange;

    public TemporalQueryTest()
    {
        using var context = _db.CreateContext();
        context.Database.EnsureCreated();
        var a = new Product { Name = "A", Price = 1m };
        context.Products.Add(a);
        context.SaveChanges();
        _beforeChange = Pause();

        a.Price = 2m;
        context.Products.Add(new Product { Name = "B", Price = 5m });
        context.SaveChanges();
        _afterChange = Pause();

        context.Products.Remove(a);
        context.SaveChanges();
    }

    public void Dispose() => _db.Dispose();

    [Fact]
    public void TemporalAsOf_sees_the_rows_as_they_were()
    {
        using var context = _db.CreateContext();
        Assert.StartsWith("-- rhei:temporal asof ", context.Products.TemporalAsOf(_beforeChange).ToQueryString(), StringComparison.Ordinal);

        Assert.Equal([("A", 1m)], Names(context.Products.TemporalAsOf(_beforeChange)));
        Assert.Equal(RheiRoute.Olap, _db.Routes.LastRoute);
        Assert.Equal([("A", 2m), ("B", 5m)], Names(context.Products.TemporalAsOf(new DateTimeOffset(_afterChange))));
        Assert.Equal([("B", 5m)], Names(context.Products));
        Assert.Empty(context.Products.TemporalAsOf(new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc)).ToList());
    }

    [Fact]
    public void TemporalAll_returns_every_version_untracked()
    {
        using var context = _db.CreateContext();
        var versions = context.Products.TemporalAll().Where(p => p.Name == "A").Select(p => p.Price).ToList().Order();
        Assert.Equal([1m, 2m], versions);
        Assert.Equal(RheiRoute.Olap, _db.Routes.LastRoute);

        var all = context.Products.TemporalAll().ToList();
        Assert.Equal(3, all.Count);
        Assert.Empty(context.ChangeTracker.Entries());
    }

    [Fact]
    public void Range_operations_select_overlapping_versions()
    {
        using var context = _db.CreateContext();
        // Versions current at some instant between the two pauses: A at 1 until the change, then A at 2 and B.
        Assert.Equal([("A", 1m), ("A", 2m), ("B", 5m)], Names(context.Products.TemporalFromTo(_beforeChange, _afterChange)));
        Assert.Equal([("A", 1m), ("A", 2m), ("B", 5m)], Names(context.Products.TemporalBetween(_beforeChange, _afterChange)));
        // Opened and closed within the whole history: only A at 2 (A at 1 opened before, B is still open).
        Assert.Equal([("A", 2m)], Names(context.Products.TemporalContainedIn(_beforeChange, DateTime.UtcNow.AddMinutes(1))));
    }

    [Fact]
    public void Temporal_queries_need_a_temporal_database()
    {
        using var plain = new TempDatabase();
        using var context = plain.CreateContext();
        context.Database.EnsureCreated();
        var ex = Assert.Throws<RheiException>(() => context.Products.TemporalAll().ToList());
        Assert.Contains("Sync Mode=Temporal", ex.Message, StringComparison.Ordinal);
    }

    private static List<(string, decimal)> Names(IQueryable<Product> query)
        => query.Select(p => new { p.Name, p.Price }).AsEnumerable().Select(p => (p.Name, p.Price)).OrderBy(p => p.Name).ThenBy(p => p.Price).ToList();

    private static DateTime Pause()
    {
        // Versions are stamped in milliseconds: leave a clear gap on each side of the instant we remember.
        Thread.Sleep(30);
        var now = DateTime.UtcNow;
        Thread.Sleep(30);
        return now;
    }
}
