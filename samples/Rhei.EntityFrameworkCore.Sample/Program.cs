using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Rhei.Data;
using Rhei.EntityFrameworkCore.Sample;

// One SQLite file takes every write; a DuckDB mirror (kept with full history: Sync Mode=Temporal) answers
// the analytics. The database lives in a temp directory and is deleted at the end.
var directory = Path.Combine(Path.GetTempPath(), "rhei-ef-sample-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(directory);
var connectionString = $"Data Source={Path.Combine(directory, "shop.db")};Sync Mode=Temporal";
var routes = new RouteLog();
var options = new DbContextOptionsBuilder<ShopContext>().UseRhei(connectionString).AddInterceptors(routes).Options;

try
{
    using (var context = new ShopContext(options))
    {
        context.Database.EnsureCreated();

        // Writes: plain EF, all on SQLite.
        var stores = new[] { "Oslo", "Lima", "Kyoto", "Quito" }.Select(city => new Store { City = city }).ToList();
        context.Stores.AddRange(stores);
        var random = new Random(42);
        var products = new[] { "tea", "coffee", "cocoa", "mate" };
        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 20_000; i++)
        {
            var quantity = random.Next(1, 6);
            context.Sales.Add(new Sale
            {
                Store = stores[random.Next(stores.Count)],
                Product = products[random.Next(products.Length)],
                Quantity = quantity,
                AmountCents = quantity * random.Next(150, 900),
                SoldAt = start.AddMinutes(i * 7),
            });
        }

        var watch = Stopwatch.StartNew();
        context.SaveChanges();
        Console.WriteLine($"Wrote {context.Sales.Local.Count:N0} sales in {watch.ElapsedMilliseconds} ms (SQLite).");
    }

    var beforeRepricing = DateTime.UtcNow;
    Thread.Sleep(20);

    using (var context = new ShopContext(options))
    {
        // An analytical report: revenue per city and product. AsOlap() asks for the mirror explicitly; the
        // router would pick it anyway for a GROUP BY over replicated tables.
        for (var run = 1; run <= 2; run++)
        {
            var watch = Stopwatch.StartNew();
            var report = context.Sales
                .AsOlap()
                .GroupBy(s => new { s.Store!.City, s.Product })
                .Select(g => new { g.Key.City, g.Key.Product, Units = g.Sum(s => s.Quantity), Cents = g.Sum(s => s.AmountCents) })
                .OrderByDescending(r => r.Cents)
                .Take(5)
                .ToList();
            Console.WriteLine($"Top 5 (run {run}): answered by {routes.Describe()} in {watch.ElapsedMilliseconds} ms");
            if (run == 2)
            {
                foreach (var row in report)
                {
                    Console.WriteLine($"  {row.City,-6} {row.Product,-7} {row.Units,6:N0} units {row.Cents / 100m,12:N2}");
                }
            }
        }

        var point = context.Sales.OrderBy(s => s.Id).First();
        Console.WriteLine($"Point lookup of sale {point.Id}: answered by {routes.Describe()}");

        // Change history: reprice every tea sale in Oslo.
        var updated = context.Sales.Where(s => s.Product == "tea" && s.Store!.City == "Oslo")
            .ExecuteUpdate(s => s.SetProperty(x => x.AmountCents, x => x.AmountCents * 2));
        Console.WriteLine($"Repriced {updated:N0} Oslo tea sales.");

        long OsloTea(IQueryable<Sale> sales) => sales.Where(s => s.Product == "tea" && s.Store!.City == "Oslo").Sum(s => s.AmountCents);

        var now = OsloTea(context.Sales);
        Console.WriteLine($"Oslo tea revenue now:              {now / 100m,12:N2} ({routes.Describe()})");
        var then = OsloTea(context.Sales.TemporalAsOf(beforeRepricing));
        Console.WriteLine($"Oslo tea revenue before repricing: {then / 100m,12:N2} (TemporalAsOf, {routes.Describe()})");
    }

    using (var context = new ShopContext(options))
    {
        context.Database.EnsureDeleted();
    }
}
finally
{
    RheiConnection.ClearAllPools();
    Directory.Delete(directory, recursive: true);
}
