using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Rhei.Data.Benchmarks.Harness;
using Rhei.Data.Olap;
using Rhei.Data.Oltp;
using Rhei.Data.Schema;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>
/// Where a whole-table load's time goes at this size, on the engine's own path (a locked-down in-memory mirror, the
/// shipped loader): the first load into an empty mirror, then reloads over the full mirror, the shipped one (the rows
/// go into a new empty table) interleaved with round three's (<c>DELETE FROM</c>, then the same parallel loader). Each
/// is split into the copy and DuckDB's COMMIT, with the process's CPU time beside the wall time (the machine is
/// shared), the working set's growth and DuckDB's stored row count afterwards (deleted rows included).
/// </summary>
internal static class InitialSyncPhases
{
    public static void Run(ScenarioContext context, string file, long rows, TableSchema schema, int rounds)
    {
        using var database = DuckDbDatabase.OpenMirror(null);
        using var session = database.Connect();
        MirrorDdl.Create(session, schema, RheiSyncMode.Destructive);
        var first = Load(file, schema, session, byDelete: false);
        Add(context, "  phases, first load (empty mirror)", rows, first, null);

        Phase? shipped = null, byDelete = null;
        for (var round = 0; round < rounds; round++)
        {
            shipped = Best(shipped, Load(file, schema, session, byDelete: false));
            byDelete = Best(byDelete, Load(file, schema, session, byDelete: true));
        }

        Add(context, "  phases, reload into a new table (shipped)", rows, shipped!, byDelete);
        Add(context, "  phases, reload by DELETE FROM (round three)", rows, byDelete!, null);
    }

    private static Phase Load(string file, TableSchema schema, DuckDbSession session, bool byDelete)
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
        session.Execute("BEGIN TRANSACTION");
        var (copy, copyCpu) = Measure(() =>
        {
            if (!byDelete)
            {
                MirrorLoader.Load(session, holder, transaction, schema, RheiSyncMode.Destructive, null, CancellationToken.None);
                return;
            }

            session.Execute("DELETE FROM " + schema.QuotedName);
            var blocks = RowidBlocks.TryPlan(holder, transaction, schema) ?? throw new InvalidOperationException("The benchmark's table is read in parallel.");
            using var readers = SqliteSnapshotReaders.TryOpen(holder, MirrorParallelLoader.ReaderCount) ?? throw new InvalidOperationException("The benchmark's file is in WAL mode.");
            MirrorParallelLoader.Load(session, readers, blocks, schema, null, null, CancellationToken.None);
        });
        var (commit, commitCpu) = Measure(() => session.Execute("COMMIT"));
        using var stored = session.Query("SELECT estimated_size FROM duckdb_tables() WHERE table_name = 'events'");
        var storedRows = stored.Read() ? stored.GetInt64(0) : 0;
        return new Phase(copy, copyCpu, commit, commitCpu, sampler.Peak - sampler.Before, sampler.Before, storedRows);
    }

    private static Phase Best(Phase? best, Phase next) => best is null || next.Wall < best.Wall ? next : best;

    private static void Add(ScenarioContext context, string name, long rows, Phase phase, Phase? baseline)
        => context.Report.Add(new Measurement(SyncScenario.Group, name, rows, "rows/s", rows / phase.Wall.TotalSeconds,
            baseline is null ? null : rows / baseline.Wall.TotalSeconds, baseline is null ? null : "round three's reload rows/s",
            baseline is null ? null : baseline.Wall / phase.Wall,
            Note: $"copy {phase.Copy.TotalSeconds:0.00} s (CPU {phase.CopyCpu.TotalSeconds:0.00} s), COMMIT {phase.Commit.TotalSeconds:0.00} s (CPU {phase.CommitCpu.TotalSeconds:0.00} s); "
                + $"CPU {(phase.CopyCpu + phase.CommitCpu).TotalSeconds * 1e6 / rows:0.00} µs/row"
                + (baseline is null ? string.Empty : $" vs {(baseline.CopyCpu + baseline.CommitCpu).TotalSeconds * 1e6 / rows:0.00}")
                + $"; working set +{phase.Growth / 1048576.0:0} MB over {phase.Before / 1048576.0:0} MB; DuckDB stores {phase.StoredRows:N0} rows"));

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

    private sealed record Phase(TimeSpan Copy, TimeSpan CopyCpu, TimeSpan Commit, TimeSpan CommitCpu, long Growth, long Before, long StoredRows)
    {
        public TimeSpan Wall => Copy + Commit;
    }
}
