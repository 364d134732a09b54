using System.Diagnostics;
using Rhei.Data.Benchmarks.Harness;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>
/// Peak working set (sampled every 10 ms) while a SQLite file (WAL) is loaded into the mirror: the first load (opening
/// the connection registers and loads the table) and a reload (<c>InitialSyncAsync</c>), for a durable mirror under
/// <c>Olap Memory Limit</c> and for an in-memory mirror, which must hold its rows. The durable mirror is measured
/// first: a process rarely gives freed memory back, so the in-memory mirror's pages would count in what follows.
/// Wall and CPU time (the process's, all threads) of each load beside it, since the machine is shared.
/// </summary>
internal static class InitialSyncMemory
{
    // The limits the durable mirror is measured under: once the table outgrows the limit, DuckDB's share of the peak
    // is the limit plus its own overhead, whatever the table's size.
    private static readonly string[] s_durableLimits = ["64MB", "128MB"];

    public static async Task RunAsync(ScenarioContext context, long rows)
    {
        using var directory = context.NewDirectory("initial-memory");
        var source = directory.File("source.db");
        InitialSyncFile.Fill(source, rows);
        foreach (var limit in s_durableLimits)
        {
            await MeasureAsync(context, rows, $"Data Source={source};Olap Path={directory.File($"mirror-{limit}.duckdb")};Olap Memory Limit={limit};Sync Interval=0",
                $"durable mirror, Olap Memory Limit={limit}").ConfigureAwait(false);
        }

        await MeasureAsync(context, rows, $"Data Source={source};Sync Interval=0", "in-memory mirror").ConfigureAwait(false);
    }

    private static async Task MeasureAsync(ScenarioContext context, long rows, string connectionString, string mirror)
    {
        GC.Collect();
        var connection = new RheiConnection(connectionString);
        try
        {
            using (var sampler = new WorkingSetSampler())
            {
                var (wall, cpu) = await TimeAsync(() => connection.OpenAsync()).ConfigureAwait(false);
                Add(context, rows, $"peak working set, first load from a file, {mirror}", sampler, wall, cpu);
            }

            GC.Collect();
            using (var sampler = new WorkingSetSampler())
            {
                var (wall, cpu) = await TimeAsync(() => connection.InitialSyncAsync("events")).ConfigureAwait(false);
                Add(context, rows, $"peak working set, reload from a file, {mirror}", sampler, wall, cpu);
            }
        }
        finally
        {
            RheiConnection.ClearPool(connection);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static void Add(ScenarioContext context, long rows, string name, WorkingSetSampler sampler, TimeSpan wall, TimeSpan cpu)
        => context.Report.Add(new Measurement(MemoryScenario.Group, name, rows, "MB", sampler.Peak / 1048576.0,
            sampler.Before / 1048576.0, "MB before",
            Note: $"+{(sampler.Peak - sampler.Before) / 1048576.0:0} MB; {rows / wall.TotalSeconds:N0} rows/s, {wall.TotalSeconds:0.0} s wall, {cpu.TotalSeconds:0.0} s CPU"));

    private static async Task<(TimeSpan Wall, TimeSpan Cpu)> TimeAsync(Func<Task> action)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        await action().ConfigureAwait(false);
        var wall = watch.Elapsed;
        process.Refresh();
        return (wall, process.TotalProcessorTime - cpu);
    }
}
