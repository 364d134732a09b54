// An application that knows Rhei.Data only through its NuGet packages, as a developer's would. The package
// test copies this file into a fresh project outside the repository, restores Rhei.Data,
// Rhei.EntityFrameworkCore, Rhei.Data.DependencyInjection and Rhei.Data.HealthChecks by version from a folder, runs it, and checks
// every line it prints. Each line is "key: value" so the test can compare them one by one.
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Rhei.Data;
using Rhei.Data.HealthChecks;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: RheiConsumer <data directory>");
    return 2;
}

const int Rows = 10_000;
const long PointId = 4_242;
string[] regions = ["east", "north", "south", "west"];
var connectionString = $"Data Source={Path.Combine(args[0], "consumer.db")};Olap=DuckDb";

await using var connection = new RheiConnection(connectionString);
await connection.OpenAsync();

using (var create = connection.CreateCommand())
{
    create.CommandText = "CREATE TABLE orders (id INTEGER PRIMARY KEY, region TEXT NOT NULL, amount REAL NOT NULL)";
    await create.ExecuteNonQueryAsync();
}

// Amounts are multiples of 0.25, so every sum is exact in a double whichever engine adds them up.
await using (var transaction = await connection.BeginTransactionAsync())
using (var insert = connection.CreateCommand())
{
    insert.Transaction = (RheiTransaction)transaction;
    insert.CommandText = "INSERT INTO orders (id, region, amount) VALUES ($id, $region, $amount)";
    var id = insert.Parameters.AddWithValue("$id", 0L);
    var region = insert.Parameters.AddWithValue("$region", "");
    var amount = insert.Parameters.AddWithValue("$amount", 0.0);
    for (var i = 1; i <= Rows; i++)
    {
        id.Value = (long)i;
        region.Value = regions[i % regions.Length];
        amount.Value = (i % 100) * 0.25;
        await insert.ExecuteNonQueryAsync();
    }

    await transaction.CommitAsync();
}

Console.WriteLine($"written: {Rows}");

await connection.SyncAsync();
var status = await connection.GetSyncStatusAsync();
Console.WriteLine($"mirrored: {status.Tables.Single(t => t.Table == "orders").Rows}");

using (var analytics = connection.CreateCommand())
{
    analytics.CommandText = "SELECT region, COUNT(*), SUM(amount) FROM orders GROUP BY region ORDER BY region";
    Console.WriteLine($"analytics route: {analytics.ExplainRoute().Target}");
    await using var reader = await analytics.ExecuteReaderAsync();
    Console.WriteLine($"analytics answered by: {reader.Route}");
    while (await reader.ReadAsync())
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"analytics row: {reader.GetString(0)} {reader.GetInt64(1)} {reader.GetDouble(2):R}"));
    }
}

using (var point = connection.CreateCommand())
{
    point.CommandText = "SELECT region, amount FROM orders WHERE id = $id";
    point.Parameters.AddWithValue("$id", PointId);
    Console.WriteLine($"point route: {point.ExplainRoute().Target}");
    await using var reader = await point.ExecuteReaderAsync();
    Console.WriteLine($"point answered by: {reader.Route}");
    while (await reader.ReadAsync())
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"point row: {PointId} {reader.GetString(0)} {reader.GetDouble(1):R}"));
    }
}

// ---- Arrow read: the same analytics query as Arrow record batches, exported by DuckDB itself ----------
using (var arrow = connection.CreateCommand())
{
    arrow.CommandText = "SELECT region, COUNT(*), SUM(amount) FROM orders GROUP BY region ORDER BY region";
    Console.WriteLine($"arrow route: {arrow.ExplainRoute().Target}");
    using var stream = await arrow.ExecuteArrowReaderAsync();
    Console.WriteLine($"arrow schema: {string.Join(",", stream.Schema.FieldsList.Select(f => f.DataType.Name))}");
    long groups = 0, counted = 0;
    while (await stream.ReadNextRecordBatchAsync() is { } batch)
    {
        using (batch)
        {
            groups += batch.Length;
            var counts = (Apache.Arrow.Int64Array)batch.Column(1);
            for (var i = 0; i < counts.Length; i++)
            {
                counted += counts.GetValue(i) ?? 0;
            }
        }
    }

    Console.WriteLine($"arrow rows: {groups} groups counting {counted} orders");
}

// EF Core from its package, on the same connection: the count comes back through UseRhei.
var options = new DbContextOptionsBuilder<ConsumerContext>().UseRhei(connection).Options;
await using (var context = new ConsumerContext(options))
{
    Console.WriteLine($"ef count: {await context.Orders.CountAsync()}");
}

// Dependency injection from its package: registration checks the connection string; resolution is lazy.
var services = new ServiceCollection().AddRheiDataSource(connectionString);
Console.WriteLine($"di registers: {string.Join(",", services.Select(s => s.ServiceType.Name))}");

// The health check from its package: registered by AddRhei, and run here on the data source already in use.
var healthServices = new ServiceCollection();
healthServices.AddHealthChecks().AddRhei();
using (var health = healthServices.BuildServiceProvider())
{
    var registrations = health.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;
    Console.WriteLine($"health check registered: {string.Join(",", registrations.Select(r => r.Name))}");
}

await using (var checkedSource = RheiDataSource.Create(connectionString.Replace("consumer.db", "health.db", StringComparison.Ordinal)))
{
    var check = new RheiHealthCheck(checkedSource);
    var result = await check.CheckHealthAsync(new HealthCheckContext { Registration = new HealthCheckRegistration("rhei", check, null, null) });
    Console.WriteLine($"health: {result.Status}");
}

Console.WriteLine("done");
return 0;

/// <summary>The orders table as EF Core sees it.</summary>
internal sealed class ConsumerContext(DbContextOptions<ConsumerContext> options) : DbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.Entity<Order>().ToTable("orders");
}

/// <summary>One row of the orders table.</summary>
internal sealed class Order
{
    public long Id { get; set; }

    public string Region { get; set; } = "";

    public double Amount { get; set; }
}
