using System.Diagnostics;
using DuckDB.NET.Data;
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

    /// <summary>Only the initial loads (SQLite source, PostgreSQL logical copy and timestamp load): <c>--only sidecar-load</c>.</summary>
    public const string LoadGroup = "sidecar-load";

    /// <summary>Only the change-apply and stream-apply rows (no initial-load repeats, no Strong read): <c>--only sidecar-apply</c>.</summary>
    public const string ApplyGroup = "sidecar-apply";

    public static Task RunAsync(ScenarioContext context) => RunAsync(context, loadsOnly: false, applyOnly: false);

    /// <summary>The load rows alone; in a run of every group (or with <c>sidecar</c> too) the sidecar group has them already.</summary>
    public static Task RunLoadsAsync(ScenarioContext context)
        => context.Options.Only is { } only && !only.Contains(Group) ? RunAsync(context, loadsOnly: true, applyOnly: false) : Task.CompletedTask;

    /// <summary>The apply rows alone, only when asked for by name (a full run has them in <see cref="Group"/>).</summary>
    public static Task RunApplyOnlyAsync(ScenarioContext context)
        => context.Options.Only is { } only && !only.Contains(Group) ? RunAsync(context, loadsOnly: false, applyOnly: true) : Task.CompletedTask;

    private static async Task RunAsync(ScenarioContext context, bool loadsOnly, bool applyOnly)
    {
        var figures = new Dictionary<(string Scenario, long Rows), double>();
        foreach (var rows in context.Sizes([100_000], [100_000, 1_000_000]))
        {
            using var directory = context.NewDirectory("sidecar");
            var source = directory.File("app.db");
            var walSource = directory.File("app-wal.db");
            foreach (var (file, journal) in new[] { (source, "DELETE"), (walSource, "WAL") })
            {
                Write(file, $"PRAGMA journal_mode={journal}; CREATE TABLE orders (id INTEGER PRIMARY KEY, customer INTEGER, amount REAL, note TEXT, updated_at INTEGER NOT NULL); CREATE INDEX orders_updated ON orders (updated_at);");
                Write(file, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $rows) INSERT INTO orders SELECT i, i % 1000, i * 0.5, 'order ' || i, 1000 + i FROM n", rows);
            }

            // The load, interleaved with a hand-written Microsoft.Data.Sqlite → DuckDB.NET appender copy, best of N:
            // from a rollback-journal file (SQLite's default) and from a WAL file (the loader's readers share its snapshot).
            var repeats = rows >= 1_000_000 ? 2 : 3;
            foreach (var (file, scenario) in applyOnly ? [] : new[] { (source, "timestamp initial load (SQLite source)"), (walSource, "timestamp initial load (SQLite source, WAL)") })
            {
                double bestLoad = double.MaxValue, bestBaseline = double.MaxValue, bestCpu = double.MaxValue;
                for (var i = 0; i < repeats; i++)
                {
                    bestBaseline = Math.Min(bestBaseline, Timing.Time(() => HandWrittenCopy(file, rows)).TotalSeconds);
                    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                    var watch = Stopwatch.StartNew();
                    await using var loaded = RheiDataSource.Create(ConnectionString(directory, file, $"load{i}-{Path.GetFileNameWithoutExtension(file)}.db"));
                    await using var loadedConnection = await loaded.OpenConnectionAsync().ConfigureAwait(false);
                    bestLoad = Math.Min(bestLoad, watch.Elapsed.TotalSeconds);
                    bestCpu = Math.Min(bestCpu, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
                }

                figures[(scenario, rows)] = rows / bestLoad;
                context.Report.Add(new Measurement(Group, scenario, rows, "rows/s", rows / bestLoad,
                    Target: Target.Min(1_000_000),
                    Note: $"engine start + copy, best of {repeats}: {bestLoad:0.00} s (our CPU {bestCpu:0.00} s); hand-written Microsoft.Data.Sqlite → DuckDB.NET appender {rows / bestBaseline:N0} rows/s ({bestBaseline:0.00} s), ratio {bestBaseline / bestLoad:0.00}; {LoadAverage()}"));
            }

            if (loadsOnly)
            {
                continue;
            }

            await using var dataSource = RheiDataSource.Create(ConnectionString(directory, source, "local.db"));
            await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
            Write(source, "UPDATE orders SET amount = amount + 1, updated_at = updated_at + 10000000", rows);
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var applyWatch = Stopwatch.StartNew();
            var result = await connection.SyncAsync().ConfigureAwait(false);
            var applySeconds = applyWatch.Elapsed.TotalSeconds;
            var applyCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            figures[("timestamp change apply (SQLite source)", rows)] = result.EventsProcessed / applySeconds;
            context.Report.Add(new Measurement(Group, "timestamp change apply (SQLite source)", rows, "events/s", result.EventsProcessed / applySeconds,
                Target: Target.Min(100_000), Note: $"{result.EventsProcessed:N0} updates polled and applied in {applySeconds:0.00} s, CPU {applyCpu:0.00} s ({result.EventsProcessed / applyCpu:N0} events per CPU second); {LoadAverage()}"));
        }

        await PostgreSqlSidecarScenario.RunAsync(context, loadsOnly ? LoadGroup : applyOnly ? ApplyGroup : Group, figures, loadsOnly, applyOnly).ConfigureAwait(false);
    }

    /// <summary>The 1-minute load average now, printed beside each figure (the machine is shared; figures move with it).</summary>
    internal static string LoadAverage()
        => File.Exists("/proc/loadavg") ? "load " + File.ReadAllText("/proc/loadavg").Split(' ')[0] : "load n/a";

    private static string ConnectionString(BenchDirectory directory, string source, string local)
        => $"Data Source={directory.File(local)};Sidecar=Sqlite;Sidecar Source={source};Sync Interval=0;Sidecar Poll Batch Size=100000";

    /// <summary>The baseline: what a .NET user writes by hand, Microsoft.Data.Sqlite's reader into DuckDB.NET's appender (in memory).</summary>
    private static void HandWrittenCopy(string path, long rows)
    {
        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        using (var create = duck.CreateCommand())
        {
            create.CommandText = "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer BIGINT, amount DOUBLE, note VARCHAR, updated_at BIGINT)";
            create.ExecuteNonQuery();
        }

        using var sqlite = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        sqlite.Open();
        using var command = sqlite.CreateCommand();
        command.CommandText = "SELECT id, customer, amount, note, updated_at FROM orders";
        long copied = 0;
        using (var appender = duck.CreateAppender("orders"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                appender.CreateRow()
                    .AppendValue(reader.GetInt64(0))
                    .AppendValue(reader.GetInt64(1))
                    .AppendValue(reader.GetDouble(2))
                    .AppendValue(reader.GetString(3))
                    .AppendValue(reader.GetInt64(4))
                    .EndRow();
                copied++;
            }
        }

        if (copied != rows)
        {
            throw new InvalidOperationException($"the hand-written copy read {copied} rows, not {rows}");
        }
    }

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
