using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Rhei.Data.Benchmarks.Data;
using Rhei.Data.Benchmarks.Harness;

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

    public static async Task RunAsync(ScenarioContext context)
    {
        if (!context.ReplicationAvailable)
        {
            Console.WriteLine("  skipped: replication is a placeholder in this build");
            return;
        }

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

    private static async Task ApplyAsync(ScenarioContext context, long rows, double baseline, string mode, string extra = "")
    {
        using var directory = context.NewDirectory("sync-" + mode);
        using var connection = Connections.OpenRhei(directory.File("rhei.db"), $"Sync Interval=0;Sync Mode={mode}{extra}");
        Connections.Execute(connection, WriteWorkload.EventsDdl);

        WriteWorkload.Insert(connection, 1, rows, batched: true);
        var (inserted, insertSeconds) = await TimedSyncAsync(connection).ConfigureAwait(false);
        WriteWorkload.Update(connection, 1, rows);
        var (updated, updateSeconds) = await TimedSyncAsync(connection).ConfigureAwait(false);

        var name = (mode == "Temporal" ? "temporal" : "destructive") + (extra.Length > 0 ? ", batch 100K" : string.Empty);
        context.Report.Add(new Measurement(Group, $"apply INSERT events ({name})", rows, "events/s", inserted / insertSeconds,
            baseline, "raw SQLite insert rows/s", inserted / insertSeconds / baseline, Target.Min(1.0), $"{inserted:N0} events in {insertSeconds:0.00} s"));
        context.Report.Add(new Measurement(Group, $"apply UPDATE events ({name})", rows, "events/s", updated / updateSeconds,
            baseline, "raw SQLite insert rows/s", updated / updateSeconds / baseline, Target.Min(1.0), $"{updated:N0} events in {updateSeconds:0.00} s"));
    }

    private static async Task<(long Events, double Seconds)> TimedSyncAsync(RheiConnection connection)
    {
        var watch = Stopwatch.StartNew();
        var result = await connection.SyncAsync().ConfigureAwait(false);
        return (result.EventsProcessed, watch.Elapsed.TotalSeconds);
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
