using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Rhei.Data.Benchmarks.Harness;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>
/// Sidecar mode with a SQLite source: the initial load (timestamp capture copying a table the application wrote
/// with its own connection into the in-memory mirror, rows/s, including engine start) and the change apply (rows
/// updated at the source, then polled by the compound watermark and applied by SyncAsync, events/s); then the same
/// with a PostgreSQL source (<see cref="PostgreSqlSidecarScenario"/>), these figures standing beside as its baseline.
/// </summary>
internal static class SidecarScenario
{
    public const string Group = "sidecar";

    public static async Task RunAsync(ScenarioContext context)
    {
        var figures = new Dictionary<(string Scenario, long Rows), double>();
        foreach (var rows in context.Sizes([100_000], [100_000, 1_000_000]))
        {
            using var directory = context.NewDirectory("sidecar");
            var source = directory.File("app.db");
            Write(source, $"CREATE TABLE orders (id INTEGER PRIMARY KEY, customer INTEGER, amount REAL, note TEXT, updated_at INTEGER NOT NULL); CREATE INDEX orders_updated ON orders (updated_at);");
            Write(source, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $rows) INSERT INTO orders SELECT i, i % 1000, i * 0.5, 'order ' || i, 1000 + i FROM n", rows);

            var cs = $"Data Source={directory.File("local.db")};Sidecar=Sqlite;Sidecar Source={source};Sync Interval=0;Sidecar Poll Batch Size=100000";
            var watch = Stopwatch.StartNew();
            await using var dataSource = RheiDataSource.Create(cs);
            await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
            var loadSeconds = watch.Elapsed.TotalSeconds;
            figures[("timestamp initial load (SQLite source)", rows)] = rows / loadSeconds;
            context.Report.Add(new Measurement(Group, "timestamp initial load (SQLite source)", rows, "rows/s", rows / loadSeconds,
                Target: Target.Min(1_000_000), Note: $"engine start + copy, {loadSeconds:0.00} s; {LoadAverage()}"));

            Write(source, "UPDATE orders SET amount = amount + 1, updated_at = updated_at + 10000000", rows);
            watch.Restart();
            var result = await connection.SyncAsync().ConfigureAwait(false);
            var applySeconds = watch.Elapsed.TotalSeconds;
            figures[("timestamp change apply (SQLite source)", rows)] = result.EventsProcessed / applySeconds;
            context.Report.Add(new Measurement(Group, "timestamp change apply (SQLite source)", rows, "events/s", result.EventsProcessed / applySeconds,
                Target: Target.Min(100_000), Note: $"{result.EventsProcessed:N0} updates polled and applied in {applySeconds:0.00} s; {LoadAverage()}"));
        }

        await PostgreSqlSidecarScenario.RunAsync(context, Group, figures).ConfigureAwait(false);
    }

    /// <summary>The 1-minute load average now, printed beside each figure (the machine is shared; figures move with it).</summary>
    internal static string LoadAverage()
        => File.Exists("/proc/loadavg") ? "load " + File.ReadAllText("/proc/loadavg").Split(' ')[0] : "load n/a";

    private static void Write(string path, string sql, long rows = 0)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$rows", rows);
        command.ExecuteNonQuery();
    }
}
