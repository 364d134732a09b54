using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Rhei.Data.Benchmarks.Harness;
using Rhei.Data.Olap;
using Rhei.Data.Schema;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>
/// Where a whole-table load's time goes at this size, on the engine's own path (a locked-down in-memory mirror, the
/// shipped loader): the first load into an empty mirror and a reload over a full one, each split into the statement
/// that clears the previous copy, the copy, and DuckDB's COMMIT; wall time beside the process's CPU time (the machine
/// is shared) and the working set's growth.
/// </summary>
internal static class InitialSyncPhases
{
    public static void Run(ScenarioContext context, string file, long rows, TableSchema schema)
    {
        using var database = DuckDbDatabase.OpenMirror(null);
        using var session = database.Connect();
        MirrorDdl.Create(session, schema, RheiSyncMode.Destructive);
        Load(context, file, rows, schema, session, "first load (empty mirror)");
        Load(context, file, rows, schema, session, "reload (full mirror)");
    }

    private static void Load(ScenarioContext context, string file, long rows, TableSchema schema, DuckDbSession session, string name)
    {
        using var holder = new SqliteConnection($"Data Source={file}");
        holder.Open();
        using var transaction = holder.BeginTransaction(deferred: true);
        using (var command = holder.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT count(*) FROM sqlite_schema";
            command.ExecuteScalar();
        }

        GC.Collect();
        using var sampler = new WorkingSetSampler();
        var gcBefore = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);
        session.Execute("BEGIN TRANSACTION");
        var (copy, copyCpu) = Measure(() => MirrorLoader.Load(session, holder, transaction, schema, RheiSyncMode.Destructive, null, CancellationToken.None));
        var (commit, commitCpu) = Measure(() => session.Execute("COMMIT"));
        var collections = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2) - gcBefore;
        var total = copy + commit;
        context.Report.Add(new Measurement(SyncScenario.Group, $"  phases, {name}", rows, "rows/s", rows / total.TotalSeconds,
            Note: $"clear + copy {copy.TotalSeconds:0.00} s (CPU {copyCpu.TotalSeconds:0.00} s), COMMIT {commit.TotalSeconds:0.00} s (CPU {commitCpu.TotalSeconds:0.00} s); "
                + $"working set +{(sampler.Peak - sampler.Before) / 1048576.0:0} MB over {sampler.Before / 1048576.0:0} MB; {collections} GCs"));
    }

    private static (TimeSpan Wall, TimeSpan Cpu) Measure(Action action)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        action();
        var wall = watch.Elapsed;
        process.Refresh();
        return (wall, process.TotalProcessorTime - cpu);
    }
}
