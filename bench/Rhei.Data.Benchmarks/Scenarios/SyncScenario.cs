using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Rhei.Data.Benchmarks.Data;
using Rhei.Data.Benchmarks.Harness;
using Rhei.Data.Sync;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>
/// Replication throughput: captured changes applied per second by SyncAsync (destructive and temporal
/// mode), against raw SQLite batched-insert rows/s measured in the same run; and initial sync rows/s from a
/// SQLite file (WAL; <see cref="InitialSyncFile"/>) and from an in-memory SQLite database into the in-memory mirror.
/// </summary>
internal static class SyncScenario
{
    public const string Group = "sync";

    /// <summary>Only the initial-sync figures of this group (<c>--only initial</c>), for measuring the load alone.</summary>
    public const string InitialGroup = "initial";

    /// <summary>
    /// Only the apply figures (<c>--only apply</c>; <c>apply-destructive</c> or <c>apply-temporal</c> for one mode):
    /// raw SQLite's batched insert and each mode's apply interleaved per round, best of two (one round from 10M rows),
    /// with the time of each phase of the best round in the note.
    /// </summary>
    public const string ApplyGroup = "apply";

    public static async Task RunAsync(ScenarioContext context)
    {
        if (!context.ReplicationAvailable)
        {
            Console.WriteLine("  skipped: replication is a placeholder in this build");
            return;
        }

        await WarmUpAsync(context, ["Destructive", "Temporal"]).ConfigureAwait(false);
        foreach (var rows in context.Sizes([100_000], [10_000, 100_000, 1_000_000]))
        {
            var baseline = RawInsertRate(context, rows);
            await ApplyAsync(context, rows, baseline, "Destructive").ConfigureAwait(false);
            await ApplyAsync(context, rows, baseline, "Temporal").ConfigureAwait(false);
            if (rows >= 100_000)
            {
                // Ten times the default batch: shows how much of the apply is per-cycle overhead.
                await ApplyAsync(context, rows, baseline, "Destructive", ";Sync Batch Size=100000").ConfigureAwait(false);
            }

            await RunInitialAsync(context, rows).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Two untimed rounds of raw SQLite's insert and an insert-and-update sync per mode, each on a file of its own: the first SyncAsync of a process also pays for
    /// JIT of the apply path and DuckDB's first statements, which at 10K was most of the figure (LogRead 56 against 18 ms
    /// for the same events warm), so the smallest size measured start-up rather than the apply.
    /// </summary>
    /// <remarks>The pause lets the runtime's background tier-1 recompilation finish before the first timed sync (see WriteScenario).</remarks>
    private static async Task WarmUpAsync(ScenarioContext context, IEnumerable<string> modes)
    {
        for (var round = 0; round < 2; round++)
        {
            MeasureRawInsert(context, 2_000);
            foreach (var mode in modes)
            {
                await MeasureApplyAsync(context, 2_000, mode, string.Empty).ConfigureAwait(false);
            }
        }

        await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
    }

    /// <summary>The initial-sync figures alone, at every size.</summary>
    public static async Task RunInitialOnlyAsync(ScenarioContext context)
    {
        foreach (var rows in context.Sizes([100_000], [10_000, 100_000, 1_000_000]))
        {
            await RunInitialAsync(context, rows).ConfigureAwait(false);
        }
    }

    private static async Task RunInitialAsync(ScenarioContext context, long rows)
    {
        // The judged figures: a SQLite file (WAL), what an application has.
        await InitialSyncFile.RunAsync(context, rows).ConfigureAwait(false);
        if (rows > 1_000_000)
        {
            // The in-memory source (and the breakdown's rows kept in managed memory) would be most of the process.
            return;
        }

        // Best of two: the first load of a process also pays for JIT and DuckDB's first allocations.
        var initial = 0.0;
        for (var round = 0; round < 2; round++)
        {
            initial = Math.Max(initial, await InitialSyncAsync(context, rows, measureMemory: false).ConfigureAwait(false));
        }

        context.Report.Add(new Measurement(Group, "initial sync (in memory)", rows, "rows/s", initial,
            Target: Target.Min(2_000_000), Note: "SQLite in memory → DuckDB in memory, InitialSyncAsync, best of 2"));
        InitialSyncBreakdown.Run(context, rows, initial);
        InitialSyncParts.Run(context, rows);
    }

    /// <summary>The denominator: taken from the write scenario when it ran, measured here otherwise.</summary>
    public static double RawInsertRate(ScenarioContext context, long rows)
    {
        if (context.RawBatchedInsertRate.TryGetValue(rows, out var rate))
        {
            return rate;
        }

        using var directory = context.NewDirectory("sync-raw");
        using var connection = Connections.OpenRawSqlite(directory.File("raw.db"));
        Connections.Execute(connection, WriteWorkload.EventsDdl);
        rate = WriteWorkload.Insert(connection, 1, rows, batched: true);
        context.RawBatchedInsertRate[rows] = rate;
        return rate;
    }

    /// <summary>The apply figures alone at every size; the group name given to --only picks the modes.</summary>
    public static async Task RunApplyOnlyAsync(ScenarioContext context, string group)
    {
        string[] modes = group.ToUpperInvariant() switch
        {
            "APPLY-DESTRUCTIVE" => ["Destructive"],
            "APPLY-TEMPORAL" => ["Temporal"],
            _ => ["Destructive", "Temporal"],
        };

        await WarmUpAsync(context, modes).ConfigureAwait(false);
        foreach (var rows in context.Sizes([100_000], [10_000, 100_000, 1_000_000]))
        {
            var baseline = 0.0;
            var cpuBaseline = 0.0;
            var best = new Dictionary<string, ApplyFigures>();
            for (var round = 0; round < (rows >= 10_000_000 ? 1 : 2); round++)
            {
                var (rate, cpuRate) = MeasureRawInsert(context, rows);
                baseline = Math.Max(baseline, rate);
                cpuBaseline = Math.Max(cpuBaseline, cpuRate);
                foreach (var mode in modes)
                {
                    var figures = await MeasureApplyAsync(context, rows, mode, string.Empty).ConfigureAwait(false);
                    best[mode] = best.TryGetValue(mode, out var earlier) ? ApplyFigures.Best(earlier, figures) : figures;
                }
            }

            context.RawBatchedInsertRate[rows] = baseline;
            foreach (var mode in modes)
            {
                ReportApply(context, rows, baseline, mode, string.Empty, best[mode], cpuBaseline);
            }
        }
    }

    /// <summary>Raw SQLite's batched insert: rows per wall second and rows per CPU second of the process.</summary>
    private static (double Rate, double CpuRate) MeasureRawInsert(ScenarioContext context, long rows)
    {
        using var directory = context.NewDirectory("sync-raw");
        using var connection = Connections.OpenRawSqlite(directory.File("raw.db"));
        Connections.Execute(connection, WriteWorkload.EventsDdl);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var rate = WriteWorkload.Insert(connection, 1, rows, batched: true);
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        return (rate, rows / cpuSeconds);
    }

    private static async Task ApplyAsync(ScenarioContext context, long rows, double baseline, string mode, string extra = "")
        => ReportApply(context, rows, baseline, mode, extra, await MeasureApplyAsync(context, rows, mode, extra).ConfigureAwait(false));

    private static async Task<ApplyFigures> MeasureApplyAsync(ScenarioContext context, long rows, string mode, string extra)
    {
        using var directory = context.NewDirectory("sync-" + mode);
        using var connection = Connections.OpenRhei(directory.File("rhei.db"), $"Sync Interval=0;Sync Mode={mode}{extra}");
        Connections.Execute(connection, WriteWorkload.EventsDdl);

        WriteWorkload.Insert(connection, 1, rows, batched: true);
        var insert = await TimedSyncAsync(connection).ConfigureAwait(false);
        WriteWorkload.Update(connection, 1, rows);
        var update = await TimedSyncAsync(connection).ConfigureAwait(false);
        return new ApplyFigures(insert, update);
    }

    private static void ReportApply(ScenarioContext context, long rows, double baseline, string mode, string extra, ApplyFigures figures, double cpuBaseline = 0)
    {
        var name = (mode == "Temporal" ? "temporal" : "destructive") + (extra.Length > 0 ? ", batch 100K" : string.Empty);
        foreach (var (kind, sync) in new[] { ("INSERT", figures.Insert), ("UPDATE", figures.Update) })
        {
            context.Report.Add(new Measurement(Group, $"apply {kind} events ({name})", rows, "events/s", sync.Rate,
                baseline, "raw SQLite insert rows/s", sync.Rate / baseline, Target.Min(1.0), $"{sync.Events:N0} events in {sync.Seconds:0.00} s, CPU {sync.CpuSeconds:0.00} s{CpuRatio(sync, cpuBaseline)}; {sync.Phases}"));
        }
    }

    /// <summary>The ratio of events per CPU second to the raw insert's rows per CPU second, when that was measured.</summary>
    private static string CpuRatio(TimedSync sync, double cpuBaseline)
        => cpuBaseline > 0 ? $" (CPU ratio {sync.CpuRate / cpuBaseline:0.00}: raw insert {cpuBaseline:N0} rows per CPU s)" : string.Empty;

    /// <summary>One SyncAsync, timed whole and by phase (<see cref="ApplyPhaseTimes"/>, two timestamps per phase and batch).</summary>
    private static async Task<TimedSync> TimedSyncAsync(RheiConnection connection)
    {
        ApplyPhaseTimes.Reset();
        ApplyPhaseTimes.Enabled = true;
        // CPU time of the whole process beside the wall time: under a loaded machine the wall time also counts waiting
        // for a core, the CPU time only the work.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var result = await connection.SyncAsync().ConfigureAwait(false);
        var seconds = watch.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        ApplyPhaseTimes.Enabled = false;
        var phases = string.Join(", ", ApplyPhaseTimes.Read().Select(p => $"{p.Key} {p.Value.TotalMilliseconds:0}"));
        return new TimedSync(result.EventsProcessed, seconds, cpuSeconds, "ms: " + phases);
    }

    /// <summary>Fills an in-memory SQLite database, opens Rhei on it and times a fresh copy of the table.</summary>
    public static async Task<double> InitialSyncAsync(ScenarioContext context, long rows, bool measureMemory)
    {
        var name = "rhei-init-" + Guid.NewGuid().ToString("N");
        // A shared in-memory database lives while one connection holds it open.
        using var keepAlive = new SqliteConnection($"Data Source={name};Mode=Memory;Cache=Shared");
        keepAlive.Open();
        Connections.Execute(keepAlive, WriteWorkload.EventsDdl);
        SqliteLoader.Insert(keepAlive, "events", 5, EventRows(rows));

        using var connection = new RheiConnection($"Data Source={name};Mode=Memory;Cache=Shared;Olap=DuckDb;Sync Interval=0");
        await connection.OpenAsync().ConfigureAwait(false);
        GC.Collect();
        using var watchMemory = measureMemory ? new WorkingSetSampler() : null;
        var watch = Stopwatch.StartNew();
        var copied = await connection.InitialSyncAsync("events").ConfigureAwait(false);
        var seconds = watch.Elapsed.TotalSeconds;
        if (watchMemory is not null)
        {
            context.Report.Add(new Measurement(MemoryScenario.Group, "peak working set, initial sync", rows, "MB",
                watchMemory.Peak / 1048576.0, watchMemory.Before / 1048576.0, "MB before", Note: $"+{(watchMemory.Peak - watchMemory.Before) / 1048576.0:0} MB during the copy"));
        }

        RheiConnection.ClearPool(connection);
        return copied / seconds;
    }

    public static IEnumerable<object[]> EventRows(long rows)
    {
        for (long key = 1; key <= rows; key++)
        {
            yield return [key, key % 1_000, (key % 10_000) / 100.0, "payment " + key, "2024-01-01 12:00:00"];
        }
    }
}
