using System.Diagnostics;
using Rhei.Data.Benchmarks.Data;
using Rhei.Data.Benchmarks.Harness;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>
/// Peak working set (sampled every 10 ms) during large initial syncs (from a file into a durable mirror under a memory
/// limit and into an in-memory mirror, <see cref="InitialSyncMemory"/>; from an in-memory SQLite database) and during
/// the sync of as many changes.
/// </summary>
internal static class MemoryScenario
{
    public const string Group = "memory";

    public static async Task RunAsync(ScenarioContext context)
    {
        if (!context.ReplicationAvailable)
        {
            Console.WriteLine("  skipped: replication is a placeholder in this build");
            return;
        }

        var rows = context.Options.Sizes?.Max() ?? (context.Quick ? 100_000 : 1_000_000);
        await InitialSyncMemory.RunAsync(context, rows).ConfigureAwait(false);
        if (rows > 1_000_000)
        {
            // Binding 10M rows into an in-memory SQLite database and capturing as many changes take tens of minutes.
            Console.WriteLine("  above 1M rows only the file-source rows run");
            return;
        }

        await SyncScenario.InitialSyncAsync(context, rows, measureMemory: true).ConfigureAwait(false);

        using var directory = context.NewDirectory("memory");
        using var connection = Connections.OpenRhei(directory.File("rhei.db"));
        Connections.Execute(connection, WriteWorkload.EventsDdl);
        WriteWorkload.Insert(connection, 1, rows, batched: true);
        GC.Collect();
        using var sampler = new WorkingSetSampler();
        var watch = Stopwatch.StartNew();
        var result = await connection.SyncAsync().ConfigureAwait(false);
        context.Report.Add(new Measurement(Group, "peak working set, sync of changes", rows, "MB", sampler.Peak / 1048576.0,
            sampler.Before / 1048576.0, "MB before",
            Note: $"+{(sampler.Peak - sampler.Before) / 1048576.0:0} MB; {result.EventsProcessed:N0} events in {watch.Elapsed.TotalSeconds:0.0} s"));
    }
}
