using System.Diagnostics;
using Rhei.Data.Benchmarks.Data;
using Rhei.Data.Benchmarks.Harness;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>
/// Issue 14's speed figures for the durable bridge (<c>Bridge Path</c>) and the change feed: batched INSERT with capture and
/// the bridge running against raw Microsoft.Data.Sqlite (and the same without a bridge), the bridging rate, change-feed
/// delivery to one subscriber, commit-to-subscriber latency, and the bytes each event costs in the bridge and in SQLite's
/// log. Every comparison alternates its sides within the run and keeps the best of each.
/// </summary>
internal static class BridgeScenario
{
    public const string Group = "bridge";

    public static async Task RunAsync(ScenarioContext context)
    {
        if (!context.ReplicationAvailable)
        {
            Console.WriteLine("  skipped: replication is not available in this build.");
            return;
        }

        var repeats = context.Quick ? 2 : 3;
        foreach (var rows in context.Sizes([100_000], [100_000, 1_000_000]))
        {
            MeasureInsert(context, rows, repeats);
            await MeasureBridgingAsync(context, rows, repeats).ConfigureAwait(false);
            await MeasureDeliveryAsync(context, rows, repeats).ConfigureAwait(false);
            await BridgeSizeProbe.RunAsync(context, Group, rows).ConfigureAwait(false);
        }

        await BridgeLatencyProbe.RunAsync(context, Group, context.Quick ? 2_000 : 10_000).ConfigureAwait(false);
    }

    /// <summary>Batched INSERT ÷ raw SQLite: with capture and the bridge running (background loop on), and with capture alone.</summary>
    private static void MeasureInsert(ScenarioContext context, long rows, int repeats)
    {
        double raw = 0, bridged = 0, unbridged = 0;
        for (var i = 0; i < repeats; i++)
        {
            using (var directory = context.NewDirectory("bridge-raw"))
            using (var connection = Connections.OpenRawSqlite(directory.File("raw.db")))
            {
                Connections.Execute(connection, BridgeWorkload.OrdersDdl);
                raw = Math.Max(raw, BridgeWorkload.InsertBatched(connection, 1, rows));
            }

            bridged = Math.Max(bridged, InsertThroughRhei(context, rows, bridge: true));
            unbridged = Math.Max(unbridged, InsertThroughRhei(context, rows, bridge: false));
        }

        var load = BridgeWorkload.LoadAverage();
        context.Report.Add(new Measurement(Group, "batched INSERT, capture + bridge running", rows, "rows/s", bridged, raw, "raw SQLite", bridged / raw, Target.Min(0.5), load));
        context.Report.Add(new Measurement(Group, "batched INSERT, capture, no bridge", rows, "rows/s", unbridged, raw, "raw SQLite", unbridged / raw, Target.Min(0.5), load));
    }

    private static double InsertThroughRhei(ScenarioContext context, long rows, bool bridge)
    {
        using var directory = context.NewDirectory(bridge ? "bridge-rhei" : "bridge-nobridge");
        var bridgePath = bridge ? Directory.CreateDirectory(directory.File("bridge")).FullName : null;
        // The default Sync Interval: the background loop (and with it the bridge) runs while the application writes.
        using var dataSource = BridgeWorkload.OpenDataSource(directory.File("rhei.db"), bridgePath, string.Empty);
        using var connection = dataSource.OpenConnection();
        return BridgeWorkload.InsertBatched(connection, 1, rows);
    }

    /// <summary>Events moved from <c>_rhei_cdc_log</c> into the bridge log per second, in both capture modes.</summary>
    private static async Task MeasureBridgingAsync(ScenarioContext context, long rows, int repeats)
    {
        foreach (var mode in new[] { "Destructive", "Temporal" })
        {
            double best = 0, insertRate = 0, bestCpu = double.MaxValue;
            var parts = string.Empty;
            for (var i = 0; i < repeats; i++)
            {
                using var directory = context.NewDirectory("bridge-move");
                var bridgePath = Directory.CreateDirectory(directory.File("bridge")).FullName;
                // No background loop: the events wait in SQLite's log until the timed bridging moves them.
                using var dataSource = BridgeWorkload.OpenDataSource(directory.File("rhei.db"), bridgePath, $"Sync Interval=0;Sync Mode={mode}");
                using (var connection = dataSource.OpenConnection())
                {
                    insertRate = Math.Max(insertRate, BridgeWorkload.InsertBatched(connection, 1, rows));
                }

                var engine = await dataSource.GetEngineAsync(CancellationToken.None).ConfigureAwait(false);
                var bridge = engine.Replication!.Bridge!;
                // CPU time beside wall time: on a loaded machine the wall clock counts other processes' turns too.
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                var moved = bridge.BridgeThrough(long.MaxValue, dataSource.Options.SyncBatchSize);
                var rate = moved / watch.Elapsed.TotalSeconds;
                bestCpu = Math.Min(bestCpu, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / Math.Max(1, moved));
                if (moved != rows)
                {
                    throw new InvalidOperationException($"The bridge moved {moved} events of {rows}.");
                }

                if (rate > best)
                {
                    var times = bridge.LastBridgeTimes;
                    parts = $"wall µs/event: read+encode {times.Read.TotalMicroseconds / moved:F2}, RocksDB write {times.Write.TotalMicroseconds / moved:F2}, SQLite prune {times.Prune.TotalMicroseconds / moved:F2}; ";
                }

                best = Math.Max(best, rate);
            }

            context.Report.Add(new Measurement(Group, $"bridging _rhei_cdc_log → RocksDB ({mode})", rows, "events/s", best, insertRate, "batched INSERT with capture",
                Target: Target.Min(500_000), Note: $"CPU {bestCpu:F2} µs/event (process); {parts}{BridgeWorkload.LoadAverage()}"));
        }
    }

    /// <summary>Changes already in the log, enumerated through SubscribeAsync: from SQLite's log, and from the bridge log.</summary>
    private static async Task MeasureDeliveryAsync(ScenarioContext context, long rows, int repeats)
    {
        double fromSqlite = 0, fromBridge = 0, sqliteCpu = double.MaxValue, bridgeCpu = double.MaxValue;
        for (var i = 0; i < repeats; i++)
        {
            var (rate, cpu) = await DeliverAsync(context, rows, bridge: false).ConfigureAwait(false);
            (fromSqlite, sqliteCpu) = (Math.Max(fromSqlite, rate), Math.Min(sqliteCpu, cpu));
            (rate, cpu) = await DeliverAsync(context, rows, bridge: true).ConfigureAwait(false);
            (fromBridge, bridgeCpu) = (Math.Max(fromBridge, rate), Math.Min(bridgeCpu, cpu));
        }

        var load = BridgeWorkload.LoadAverage();
        context.Report.Add(new Measurement(Group, "change feed delivery, Bridge Path set", rows, "events/s", fromBridge, fromSqlite, "no bridge", fromBridge / fromSqlite, Note: $"target >= 200,000 events/s on each side; {load}"));
        context.Report.Add(new Measurement(Group, "change feed delivery, no bridge", rows, "events/s", fromSqlite, Target: Target.Min(200_000), Note: $"CPU {sqliteCpu:F2} µs/event (process); {load}"));
        context.Report.Add(new Measurement(Group, "change feed delivery, from the bridge log", rows, "events/s", fromBridge, Target: Target.Min(200_000), Note: $"CPU {bridgeCpu:F2} µs/event (process); {load}"));
    }

    /// <summary>Events per second and process CPU µs per event while one subscriber enumerates the log.</summary>
    private static async Task<(double Rate, double CpuMicroseconds)> DeliverAsync(ScenarioContext context, long rows, bool bridge)
    {
        using var directory = context.NewDirectory("bridge-feed");
        var bridgePath = bridge ? Directory.CreateDirectory(directory.File("bridge")).FullName : null;
        using var dataSource = BridgeWorkload.OpenDataSource(directory.File("rhei.db"), bridgePath, "Sync Interval=0");
        using var connection = dataSource.OpenConnection();

        // The subscription exists (and holds the log) before the timed rows are written: it starts at the latest change
        // when first read, so a few warm-up rows are written until it has taken one, and that one is acknowledged.
        long next = 1;
        using (var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await using var feed = dataSource.SubscribeAsync("bench", null, cancel.Token).GetAsyncEnumerator(cancel.Token);
            var first = feed.MoveNextAsync().AsTask();
            while (!first.IsCompleted)
            {
                BridgeWorkload.InsertBatched(connection, next++, 1);
                await Task.WhenAny(first, Task.Delay(10, cancel.Token)).ConfigureAwait(false);
            }

            if (!await first.ConfigureAwait(false))
            {
                throw new InvalidOperationException("The subscription ended before its first change.");
            }

            await dataSource.AcknowledgeAsync("bench", feed.Current.Position, cancel.Token).ConfigureAwait(false);
        }

        var last = next + rows - 1;
        BridgeWorkload.InsertBatched(connection, next, rows);
        if (bridge)
        {
            var engine = await dataSource.GetEngineAsync(CancellationToken.None).ConfigureAwait(false);
            engine.Replication!.Bridge!.BridgeThrough(long.MaxValue, dataSource.Options.SyncBatchSize);
        }

        long received = 0;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        using (var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(5)))
        {
            await foreach (var change in dataSource.SubscribeAsync("bench", null, cancel.Token).ConfigureAwait(false))
            {
                if (change.Values is null)
                {
                    throw new InvalidOperationException($"Change {change.Position} arrived without its row image.");
                }

                received++;
                if (Convert.ToInt64(change.Key["id"], System.Globalization.CultureInfo.InvariantCulture) == last)
                {
                    break;
                }
            }
        }

        var elapsed = watch.Elapsed;
        return (received / elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / Math.Max(1, received));
    }
}
