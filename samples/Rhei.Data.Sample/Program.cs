// The main job: write through SQLite, let change capture carry the rows to DuckDB, and answer the same
// analytical query on each engine, showing which engine answered and how long it took.
using System.Diagnostics;
using System.Globalization;
using Rhei.Data;

var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300_000;
var directory = Path.Combine(Path.GetTempPath(), "rhei-sample");
Directory.CreateDirectory(directory);
var path = Path.Combine(directory, "sales.db");
foreach (var file in Directory.GetFiles(directory, "sales.db*"))
{
    File.Delete(file);
}

var connectionString = $"Data Source={path};Olap=DuckDb";
Console.WriteLine($"Rhei.Data sample: {rows:N0} orders into {path}");

await using (var connection = new RheiConnection(connectionString))
{
    await connection.OpenAsync();
    using (var create = connection.CreateCommand())
    {
        create.CommandText = """
            CREATE TABLE orders (
                id INTEGER PRIMARY KEY,
                region TEXT NOT NULL,
                product TEXT NOT NULL,
                quantity INTEGER NOT NULL,
                price REAL NOT NULL,
                ordered_at TEXT NOT NULL)
            """;
        await create.ExecuteNonQueryAsync();
    }

    var clock = Stopwatch.StartNew();
    string[] regions = ["north", "south", "east", "west", "central"];
    string[] products = ["anvil", "bolt", "crate", "drill", "engine", "flange", "gear", "hinge"];
    await using (var transaction = await connection.BeginTransactionAsync())
    using (var insert = connection.CreateCommand())
    {
        insert.Transaction = (RheiTransaction)transaction;
        insert.CommandText = "INSERT INTO orders (id, region, product, quantity, price, ordered_at) VALUES ($id, $region, $product, $quantity, $price, $at)";
        var id = insert.Parameters.AddWithValue("$id", 0L);
        var region = insert.Parameters.AddWithValue("$region", "");
        var product = insert.Parameters.AddWithValue("$product", "");
        var quantity = insert.Parameters.AddWithValue("$quantity", 0L);
        var price = insert.Parameters.AddWithValue("$price", 0.0);
        var at = insert.Parameters.AddWithValue("$at", "");
        var random = new Random(42);
        var start = new DateTime(2025, 1, 1);
        for (var i = 1; i <= rows; i++)
        {
            id.Value = (long)i;
            region.Value = regions[random.Next(regions.Length)];
            product.Value = products[random.Next(products.Length)];
            quantity.Value = (long)random.Next(1, 20);
            price.Value = Math.Round(random.NextDouble() * 100, 2);
            at.Value = start.AddMinutes(i).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    Console.WriteLine($"SQLite took the writes: {rows:N0} rows in {clock.ElapsedMilliseconds:N0} ms ({rows / clock.Elapsed.TotalSeconds:N0} rows/s)");

    // The background loop (Sync Interval, 100 ms by default) has been carrying changes all along;
    // SyncAsync waits for it and applies whatever is left.
    clock.Restart();
    await connection.SyncAsync();
    var status = await connection.GetSyncStatusAsync();
    var mirrored = status.Tables.Single(t => t.Table == "orders").Rows;
    Console.WriteLine($"Change capture carried them to DuckDB: mirror holds {mirrored:N0} rows, lag {status.Lag}, caught up {clock.ElapsedMilliseconds:N0} ms after the commit");

    const string report = """
        SELECT region, product, COUNT(*) AS orders, SUM(quantity) AS units, ROUND(SUM(quantity * price), 2) AS revenue
        FROM orders
        WHERE ordered_at >= '2025-02-01'
        GROUP BY region, product
        ORDER BY revenue DESC
        LIMIT 5
        """;

    using var query = connection.CreateCommand();
    query.CommandText = report;
    Console.WriteLine();
    Console.WriteLine($"Router: {query.ExplainRoute().Target} ({query.ExplainRoute().Reason})");
    var timings = new Dictionary<RheiRoute, double>();
    List<string>? reference = null;
    var sameRows = true;
    foreach (var route in new[] { RheiRoute.Oltp, RheiRoute.Olap, RheiRoute.Auto })
    {
        query.Route = route;
        await RunOnceAsync(query); // warm up caches and plans
        const int runs = 5;
        clock.Restart();
        RheiRoute answeredBy = RheiRoute.Auto;
        List<string> top = [];
        for (var run = 0; run < runs; run++)
        {
            (answeredBy, top) = await RunOnceAsync(query);
        }

        var ms = clock.Elapsed.TotalMilliseconds / runs;
        reference ??= top;
        sameRows &= reference.SequenceEqual(top);
        timings[route] = ms;
        if (top.Count == 0) { Console.WriteLine($"Route={route} returned no rows"); continue; }
        Console.WriteLine($"Route={route,-4} answered by {(answeredBy == RheiRoute.Olap ? "DuckDB" : "SQLite"),-6} {ms,9:N2} ms   top: {top[0]}");
    }

    Console.WriteLine();
    Console.WriteLine(sameRows
        ? $"DuckDB answered {timings[RheiRoute.Oltp] / timings[RheiRoute.Olap]:N1}x faster than SQLite, with the same rows."
        : "The engines disagreed: this is a bug, please report it.");
}

RheiConnection.ClearAllPools();

static async Task<(RheiRoute Route, List<string> Rows)> RunOnceAsync(RheiCommand command)
{
    var rows = new List<string>();
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
        rows.Add($"{reader.GetString(0)}/{reader.GetString(1)} orders={reader.GetInt64(2)} units={reader.GetInt64(3)} revenue={reader.GetDouble(4).ToString("F2", CultureInfo.InvariantCulture)}");
    }

    return (reader.Route, rows);
}
