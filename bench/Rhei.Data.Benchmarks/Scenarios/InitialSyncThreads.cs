using System.Diagnostics;
using System.Globalization;
using Rhei.Data.Benchmarks.Harness;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>
/// Where the process's CPU goes during <c>InitialSyncAsync</c> (a reload of a SQLite file, WAL, into the in-memory
/// mirror): each thread's run time from <c>/proc/self/task/*/schedstat</c> (nanoseconds, unlike the 10 ms ticks of
/// <c>stat</c>) before and after the load, summed by thread name, as µs per row. The names tell the loader's readers
/// (.NET long-running tasks) from the calling thread, DuckDB's own workers and the runtime's (GC, JIT, thread pool).
/// Linux only; elsewhere the group reports nothing.
/// </summary>
internal static class InitialSyncThreads
{
    public const string Group = "initial-threads";

    public static async Task RunAsync(ScenarioContext context)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        foreach (var rows in context.Sizes([100_000], [1_000_000]))
        {
            await RunAsync(context, rows).ConfigureAwait(false);
        }
    }

    private static async Task RunAsync(ScenarioContext context, long rows)
    {
        using var directory = context.NewDirectory("initial-threads");
        var file = directory.File("source.db");
        InitialSyncFile.Fill(file, rows);
        using var connection = new RheiConnection($"Data Source={file};Olap=DuckDb;Sync Interval=0");
        await connection.OpenAsync().ConfigureAwait(false);

        // Two untimed loads (JIT, DuckDB's first allocations), then the pause that lets tier-1 recompilation finish.
        for (var round = 0; round < 2; round++)
        {
            await connection.InitialSyncAsync("events").ConfigureAwait(false);
        }

        await Task.Delay(1000).ConfigureAwait(false);
        Dictionary<string, double>? best = null;
        double bestWall = double.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            GC.Collect();
            using var process = Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime;
            var before = Sample();
            var watch = Stopwatch.StartNew();
            await connection.InitialSyncAsync("events").ConfigureAwait(false);
            var wall = watch.Elapsed.TotalSeconds;
            var after = Sample();
            process.Refresh();
            if (wall < bestWall)
            {
                bestWall = wall;
                best = Delta(before, after);

                // The loader's readers end with the load, so their time is only in the process's total.
                best["(threads that ended during the load)"] = Math.Max(0, (process.TotalProcessorTime - cpu).TotalSeconds - best.Values.Sum());
            }
        }

        var total = best!.Values.Sum();
        context.Report.Add(new Measurement(Group, "initial sync (file, WAL), best of 3", rows, "rows/s", rows / bestWall,
            Note: $"{total * 1e6 / rows:0.000} µs CPU per row over all threads"));
        foreach (var (name, seconds) in best.OrderByDescending(p => p.Value).Where(p => p.Value * 1e6 / rows >= 0.005))
        {
            context.Report.Add(new Measurement(Group, "  threads: " + name, rows, "µs CPU/row", seconds * 1e6 / rows,
                Note: $"{seconds * 1000:0.0} ms"));
        }
    }

    private static Dictionary<string, double> Delta(Dictionary<int, (string Name, long Nanoseconds)> before, Dictionary<int, (string Name, long Nanoseconds)> after)
    {
        var byName = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (id, (name, nanoseconds)) in after)
        {
            var spent = nanoseconds - (before.TryGetValue(id, out var earlier) ? earlier.Nanoseconds : 0);
            if (spent > 0)
            {
                byName[name] = byName.GetValueOrDefault(name) + (spent / 1e9);
            }
        }

        return byName;
    }

    /// <summary>Every live thread's name and run time so far (a thread gone between two samples is lost).</summary>
    private static Dictionary<int, (string Name, long Nanoseconds)> Sample()
    {
        var threads = new Dictionary<int, (string, long)>();
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                var id = int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture);
                var name = File.ReadAllText(Path.Combine(task, "comm")).Trim();
                var run = long.Parse(File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[0], CultureInfo.InvariantCulture);
                threads[id] = (name, run);
            }
            catch (IOException)
            {
                // The thread ended while it was read.
            }
        }

        return threads;
    }
}
