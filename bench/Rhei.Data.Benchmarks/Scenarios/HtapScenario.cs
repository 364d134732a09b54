using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Rhei.Data.Benchmarks.Data;
using Rhei.Data.Benchmarks.Harness;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>
/// The HTAP mix: TPC-C-like transactions on two threads through Rhei, first alone, then with one thread
/// running CH-benCHmark-like analytics through RheiCommand (DuckDB, Strong freshness, background sync),
/// then with the same analytics on raw SQLite. Each phase runs for a fixed time on the same database.
/// </summary>
internal static class HtapScenario
{
    public const string Group = "htap";
    private const int WriterThreads = 2;

    public static async Task RunAsync(ScenarioContext context)
    {
        var orders = context.Quick ? 10_000L : 100_000L;
        var phase = TimeSpan.FromSeconds(context.Quick ? 5 : 20);
        using var directory = context.NewDirectory("htap");
        var file = directory.File("htap.db");
        using (var loader = Connections.OpenRawSqlite(file))
        {
            TpccSchema.Load(loader, orders);
        }

        TpccTransactions.ResetKeys(orders);
        var connectionString = $"Data Source={file};Olap=DuckDb";
        using var analyst = new RheiConnection(connectionString);
        await analyst.OpenAsync().ConfigureAwait(false);
        using var rawAnalyst = Connections.OpenRawSqlite(file);

        var alone = RunPhase(connectionString, phase, analytics: null);
        var withRhei = RunPhase(connectionString, phase, analytics: new RheiCommand { Connection = analyst });
        var withSqlite = RunPhase(connectionString, phase, analytics: new SqliteCommand { Connection = rawAnalyst });

        var detail = $"{WriterThreads} writer threads, {phase.TotalSeconds:0} s per phase, {orders * 10:N0} order lines at start";
        context.Report.Add(new Measurement(Group, "tx/s with Rhei analytics ÷ without", 0, "tx/s", withRhei.TxPerSecond,
            alone.TxPerSecond, "tx/s without analytics", withRhei.TxPerSecond / alone.TxPerSecond, Target.Min(0.8), detail));
        context.Report.Add(new Measurement(Group, "tx/s with SQLite analytics ÷ without", 0, "tx/s", withSqlite.TxPerSecond,
            alone.TxPerSecond, "tx/s without analytics", withSqlite.TxPerSecond / alone.TxPerSecond, Note: "for comparison: the same analytics on SQLite"));
        context.Report.Add(new Measurement(Group, "analytical latency p50, Rhei ÷ SQLite", 0, "ms", withRhei.AnalyticP50,
            withSqlite.AnalyticP50, "raw SQLite ms", withRhei.AnalyticP50 / withSqlite.AnalyticP50,
            Note: $"both under the same transaction load; {withRhei.Queries} and {withSqlite.Queries} queries; routes: {withRhei.Routes}"));
    }

    private static PhaseResult RunPhase(string connectionString, TimeSpan duration, DbCommand? analytics)
    {
        using var stop = new CancellationTokenSource();
        long transactions = 0;
        var writers = Enumerable.Range(0, WriterThreads).Select(i => new Thread(() =>
        {
            using var tx = new TpccTransactions(connectionString, seed: 100 + i);
            while (!stop.IsCancellationRequested)
            {
                tx.RunOne();
                Interlocked.Increment(ref transactions);
            }
        }) { Name = "tpcc " + i }).ToList();

        var latencies = new List<double>();
        var routes = new HashSet<string>();
        var watch = Stopwatch.StartNew();
        writers.ForEach(t => t.Start());
        if (analytics is not null)
        {
            using (analytics)
            {
                for (var i = 0; watch.Elapsed < duration; i++)
                {
                    analytics.CommandText = TpccSchema.AnalyticalQueries[i % TpccSchema.AnalyticalQueries.Length];
                    var start = Stopwatch.GetTimestamp();
                    using (var reader = analytics.ExecuteReader())
                    {
                        ResultDigest.Read(reader);
                        routes.Add(reader is RheiDataReader rhei ? rhei.Route.ToString() : "raw SQLite");
                    }

                    latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }
        }
        else
        {
            Thread.Sleep(duration);
        }

        stop.Cancel();
        var elapsed = watch.Elapsed.TotalSeconds;
        writers.ForEach(t => t.Join());
        Console.WriteLine($"  (phase {(analytics is null ? "transactions alone" : analytics.GetType().Name)}: {Interlocked.Read(ref transactions):N0} tx, {latencies.Count} queries in {elapsed:0.0} s)");
        return new PhaseResult(Interlocked.Read(ref transactions) / elapsed, Timing.Percentile(latencies, 0.5), latencies.Count, string.Join("/", routes));
    }

    private sealed record PhaseResult(double TxPerSecond, double AnalyticP50, int Queries, string Routes);
}
