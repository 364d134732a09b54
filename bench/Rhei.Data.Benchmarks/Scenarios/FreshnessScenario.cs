using System.Diagnostics;
using Rhei.Data.Benchmarks.Data;
using Rhei.Data.Benchmarks.Harness;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>
/// Freshness under steady writes with the background sync loop at its default period: the delay from a
/// commit in SQLite to the row being visible in the DuckDB mirror (polled straight from the engine's DuckDB
/// database), and what a Strong read right after a write pays compared with one that follows no write.
/// </summary>
internal static class FreshnessScenario
{
    public const string Group = "freshness";

    public static async Task RunAsync(ScenarioContext context)
    {
        if (!context.ReplicationAvailable)
        {
            Console.WriteLine("  skipped: replication is a placeholder in this build");
            return;
        }

        using var directory = context.NewDirectory("fresh");
        var file = directory.File("rhei.db");
        // Default Sync Interval (100 ms) and Freshness (Strong): the product as shipped.
        using var writer = Connections.OpenRhei(file, string.Empty);
        Connections.Execute(writer, WriteWorkload.EventsDdl);
        WriteWorkload.Insert(writer, 1, 10, batched: true);
        await writer.SyncAsync().ConfigureAwait(false);

        var seconds = context.Quick ? 4 : 15;
        // Writes through Rhei wake the loop (SQLite's commit hook); a writer Rhei cannot see, here a plain
        // Microsoft.Data.Sqlite connection on the same file, is picked up at the interval: every writer's delay before.
        using var foreign = Connections.OpenRawSqlite(file);
        var foreignDelays = MeasureVisibility(writer, foreign, first: 1_000_000, TimeSpan.FromSeconds(seconds));
        var delays = MeasureVisibility(writer, writer, first: 100, TimeSpan.FromSeconds(seconds));
        context.Report.Add(new Measurement(Group, "commit-to-visible p50", delays.Count, "ms", Timing.Percentile(delays, 0.5),
            Timing.Percentile(foreignDelays, 0.5), "ms, writer Rhei cannot see", Timing.Percentile(delays, 0.5) / Timing.Percentile(foreignDelays, 0.5),
            Target.Max(10), $"writes through a RheiConnection; background sync every 100 ms, ~1 autocommit insert per ms for {seconds} s"));
        context.Report.Add(new Measurement(Group, "commit-to-visible p99", delays.Count, "ms", Timing.Percentile(delays, 0.99),
            Timing.Percentile(foreignDelays, 0.99), "ms, writer Rhei cannot see", Timing.Percentile(delays, 0.99) / Timing.Percentile(foreignDelays, 0.99),
            Target.Max(50)));

        MeasureProbeOptions(context, file);

        var samples = context.Quick ? 100 : 300;
        var (afterWrite, noWrite, cpu) = StrongReadLatency(writer, samples);
        var floor = OneRowChangeFloor.Measure(samples);
        context.Report.Add(new Measurement(Group, "Strong read right after a write (p50)", 0, "ms", afterWrite, noWrite,
            "ms without a pending write", afterWrite / noWrite, Note: $"extra latency {afterWrite - noWrite:0.00} ms; process CPU {cpu:0.00} ms per round (read, write, read)"));

        // The same without the background loop: the read's own catch-up cycle is all that runs, so its extra latency is
        // the part of that cycle the read waits for (through the DuckDB commit, or through the SQLite bookkeeping too).
        using var quiet = Connections.OpenRhei(directory.File("quiet.db"), "Sync Interval=0");
        Connections.Execute(quiet, WriteWorkload.EventsDdl);
        WriteWorkload.Insert(quiet, 1, 10, batched: true);
        await quiet.SyncAsync().ConfigureAwait(false);
        var (quietAfter, quietNone, quietCpu) = StrongReadLatency(quiet, samples);
        context.Report.Add(new Measurement(Group, "Strong read right after a write, loop off (p50)", 0, "ms", quietAfter, quietNone,
            "ms without a pending write", quietAfter / quietNone, Note: $"extra latency {quietAfter - quietNone:0.00} ms; process CPU {quietCpu:0.00} ms per round"));
        floor = Math.Min(floor, OneRowChangeFloor.Measure(samples));
        context.Report.Add(new Measurement(Group, "Strong read after a write, extra ÷ DuckDB's one-row change (p50)", 0, "ms", afterWrite - noWrite, floor,
            "ms, DuckDB.NET.Data one-row change transaction", (afterWrite - noWrite) / floor,
            Note: $"loop off: {quietAfter - quietNone:0.00} ms ({(quietAfter - quietNone) / floor:0.00}×); the baseline is BEGIN, DELETE by key, one appended row, COMMIT on an in-memory DuckDB table straight through DuckDB.NET.Data, lower of two runs interleaved with Rhei's"));
        ReportApplyPhases(context, quiet);
    }

    /// <summary>
    /// Where the catch-up of a one-row change spends its time, loop off: the apply's phases (ApplyPhaseTimes, process-wide,
    /// so measured here with only this engine syncing), per Strong read right after a write, as a note beside the total.
    /// </summary>
    private static void ReportApplyPhases(ScenarioContext context, RheiConnection connection)
    {
        var samples = context.Quick ? 100 : 300;
        Sync.ApplyPhaseTimes.Reset();
        Sync.ApplyPhaseTimes.Enabled = true;
        double after;
        try
        {
            (after, _, _) = StrongReadLatency(connection, samples);
        }
        finally
        {
            Sync.ApplyPhaseTimes.Enabled = false;
        }

        var phases = Sync.ApplyPhaseTimes.Read().Where(p => p.Value > TimeSpan.Zero)
            .Select(p => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{p.Key} {p.Value.TotalMilliseconds * 1000 / samples:0} µs"));
        context.Report.Add(new Measurement(Group, "Strong read after a write, loop off: apply phases (mean per read)", 0, "ms", after,
            Note: string.Join(", ", phases)));
        Sync.ApplyPhaseTimes.Reset();
    }

    private static List<double> MeasureVisibility(RheiConnection engineOwner, System.Data.Common.DbConnection writer, long first, TimeSpan duration)
    {
        var capacity = (int)(duration.TotalMilliseconds * 4) + 1_000;
        var committed = new long[capacity];
        var visible = new long[capacity];
        var last = first - 1;
        using var stop = new CancellationTokenSource();
        var observer = new Thread(() =>
        {
            using var session = engineOwner.Engine.DuckDb!.Connect();
            long seen = first - 1;
            while (!stop.IsCancellationRequested)
            {
                using var reader = session.Query(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"SELECT max(id) FROM events WHERE id >= {first} AND id < {first + capacity}"));
                var max = reader.Read() && !reader.IsDBNull(0) ? reader.GetInt64(0) : 0;
                var now = Stopwatch.GetTimestamp();
                for (var id = Math.Max(seen + 1, first); id <= max && id - first < capacity; id++)
                {
                    visible[id - first] = now;
                }

                seen = Math.Max(seen, max);
                Thread.Sleep(0);
            }
        }) { IsBackground = true, Name = "freshness observer" };
        observer.Start();

        using var command = writer.CreateCommand();
        command.CommandText = "INSERT INTO events (id, account, amount, note, created) VALUES (@id, 1, 1.0, 'fresh', '2024-01-01')";
        var id = Connections.AddParameter(command, "@id");
        var watch = Stopwatch.StartNew();
        for (var key = first; watch.Elapsed < duration && key - first < capacity; key++)
        {
            id.Value = key;
            command.ExecuteNonQuery();
            committed[key - first] = Stopwatch.GetTimestamp();
            last = key;
            Thread.Sleep(1);
        }

        // Let the loop catch up with the last writes before stopping the observer.
        Thread.Sleep(1_000);
        stop.Cancel();
        observer.Join();

        var delays = new List<double>();
        for (var i = 0; i <= last - first; i++)
        {
            if (visible[i] != 0)
            {
                delays.Add(Math.Max(0, Stopwatch.GetElapsedTime(committed[i], visible[i]).TotalMilliseconds));
            }
        }

        return delays;
    }

    /// <summary>
    /// The Strong read's check with nothing pending, three ways on a connection of their own: the high-water query in a
    /// new Microsoft.Data.Sqlite command per call (before), the same query kept prepared, and what ships (ChangeLogProbe:
    /// a prepared PRAGMA data_version, the query only when the version moved). Blocks of each interleaved, best median.
    /// </summary>
    private static void MeasureProbeOptions(ScenarioContext context, string file)
    {
        using var perCall = Connections.OpenRawSqlite(file);
        using var preparedConnection = Connections.OpenRawSqlite(file);
        using var probeConnection = Connections.OpenRawSqlite(file);
        using var prepared = preparedConnection.CreateCommand();
        prepared.CommandText = Oltp.ReplicationTables.MaxSequenceSql(preparedConnection);
        prepared.Prepare();
        using var probe = new Oltp.ChangeLogProbe(probeConnection);
        Action[] options =
        [
            () => Oltp.ReplicationTables.MaxSequence(perCall),
            () => prepared.ExecuteScalar(),
            () => probe.LatestPosition(),
        ];
        var best = new[] { double.MaxValue, double.MaxValue, double.MaxValue };
        for (var block = 0; block <= (context.Quick ? 5 : 10); block++)
        {
            for (var k = 0; k < options.Length; k++)
            {
                var which = (k + block) % options.Length;
                var median = Timing.MedianMs(2_000, options[which]) * 1_000_000;
                if (block > 0)
                {
                    best[which] = Math.Min(best[which], median);
                }
            }
        }

        context.Report.Add(new Measurement(Group, "Strong check, nothing pending: data_version probe", 0, "ns", best[2], best[0],
            "ns, new command per call", best[2] / best[0], Note: string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"high-water query kept prepared {best[1]:0} ns ({best[1] / best[0]:0.00}); what ships: prepared PRAGMA data_version, the query only after a commit")));
    }

    /// <summary>p50 of a Strong read with nothing pending and right after a one-row write, and the process's CPU time per round.</summary>
    private static (double AfterWrite, double NoWrite, double CpuPerRound) StrongReadLatency(RheiConnection connection, int samples)
    {
        using var read = new RheiCommand("SELECT COUNT(*), SUM(amount) FROM events", connection) { Route = RheiRoute.Olap };
        using var write = new RheiCommand("UPDATE events SET amount = amount + 1 WHERE id = 1", connection);
        var after = new List<double>();
        var none = new List<double>();
        read.ExecuteScalar();
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        for (var i = 0; i < samples; i++)
        {
            none.Add(Timing.Time(() => read.ExecuteScalar()).TotalMilliseconds);
            write.ExecuteNonQuery();
            after.Add(Timing.Time(() => read.ExecuteScalar()).TotalMilliseconds);
        }

        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / samples;
        return (Timing.Percentile(after, 0.5), Timing.Percentile(none, 0.5), cpu);
    }
}
