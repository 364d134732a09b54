using System.Diagnostics;
using System.Globalization;
using Rhei.Data.Benchmarks.Harness;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>
/// Commit-to-subscriber latency with the default Sync Interval: a writer commits one row per millisecond (autocommit through
/// a RheiConnection), a subscriber notes when each arrives; the latency of a row is its arrival minus the end of its commit.
/// Measured with and without <c>Bridge Path</c> (with it, the background loop bridges while the subscriber reads).
/// </summary>
internal static class BridgeLatencyProbe
{
    public static async Task RunAsync(ScenarioContext context, string group, int rows)
    {
        var withoutBridge = await MeasureAsync(context, rows, bridge: false).ConfigureAwait(false);
        var withBridge = await MeasureAsync(context, rows, bridge: true).ConfigureAwait(false);
        var load = BridgeWorkload.LoadAverage();
        foreach (var (name, sample) in new[] { ("no bridge", withoutBridge), ("Bridge Path set", withBridge) })
        {
            context.Report.Add(new Measurement(group, $"commit → subscriber p50, {name}", rows, "ms", Timing.Percentile(sample, 0.5), Target: Target.Max(20), Note: load));
            context.Report.Add(new Measurement(group, $"commit → subscriber p99, {name}", rows, "ms", Timing.Percentile(sample, 0.99), Note: load));
        }
    }

    private static async Task<double[]> MeasureAsync(ScenarioContext context, int rows, bool bridge)
    {
        using var directory = context.NewDirectory("bridge-latency");
        var bridgePath = bridge ? Directory.CreateDirectory(directory.File("bridge")).FullName : null;
        using var dataSource = BridgeWorkload.OpenDataSource(directory.File("rhei.db"), bridgePath, string.Empty);
        var committed = new long[rows + 1];
        var arrived = new long[rows + 1];
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var subscriber = Task.Run(async () =>
        {
            await using var feed = dataSource.SubscribeAsync("latency", null, cancel.Token).GetAsyncEnumerator(cancel.Token);
            var next = feed.MoveNextAsync();
            ready.SetResult();
            while (await next.ConfigureAwait(false))
            {
                var id = Convert.ToInt64(feed.Current.Key["id"], CultureInfo.InvariantCulture);
                if (id is > 0 && id <= rows)
                {
                    arrived[id] = Stopwatch.GetTimestamp();
                }

                if (id == rows)
                {
                    return;
                }

                next = feed.MoveNextAsync();
            }
        });

        await ready.Task.ConfigureAwait(false);
        // The subscription takes its starting position on its first read: give it a moment before the first commit.
        await Task.Delay(200, cancel.Token).ConfigureAwait(false);
        using (var connection = dataSource.OpenConnection())
        using (var command = BridgeWorkload.InsertCommand(connection, out var bind))
        {
            var start = Stopwatch.GetTimestamp();
            for (var id = 1; id <= rows; id++)
            {
                // About one commit per millisecond: wait for the id's slot, then commit.
                while (Stopwatch.GetElapsedTime(start).TotalMilliseconds < id)
                {
                    Thread.Sleep(1);
                }

                bind(id);
                command.ExecuteNonQuery();
                committed[id] = Stopwatch.GetTimestamp();
            }
        }

        await subscriber.WaitAsync(cancel.Token).ConfigureAwait(false);
        var sample = new List<double>(rows);
        for (var id = 1; id <= rows; id++)
        {
            if (arrived[id] != 0)
            {
                // The subscriber can see a row before the writer's thread notes the end of its commit: that counts as zero.
                sample.Add(Math.Max(0, Stopwatch.GetElapsedTime(committed[id], arrived[id]).TotalMilliseconds));
            }
        }

        if (sample.Count < rows)
        {
            throw new InvalidOperationException($"The subscriber received {sample.Count} of {rows} rows.");
        }

        return sample.ToArray();
    }
}
