using System.Diagnostics;
using Rhei.Data.Benchmarks.Harness;
using Rhei.Data.Benchmarks.Micro;
using Rhei.Data.Benchmarks.Scenarios;

namespace Rhei.Data.Benchmarks;

/// <summary>
/// Entry point. Without <c>--micro</c> it runs the macro scenarios and prints one table (and JSON with
/// <c>--json</c>); <c>--micro</c> hands the remaining arguments to BenchmarkDotNet.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        RunOptions options;
        try
        {
            options = RunOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        if (options.Micro)
        {
            MicroRunner.Run(options.MicroArguments);
            return 0;
        }

        Console.WriteLine($"Rhei.Data benchmarks ({(options.Quick ? "quick" : "full")}) on {MachineInfo.Describe()}");
        var report = new Report();
        var context = new ScenarioContext(options, report) { ReplicationAvailable = await ReplicationProbe.IsAvailableAsync(options).ConfigureAwait(false) };
        if (!context.ReplicationAvailable)
        {
            Console.WriteLine("  replication is a placeholder in this build: sync figures are skipped, write ratios carry no capture cost.");
        }

        var total = Stopwatch.StartNew();
        await RunGroupAsync(context, WriteScenario.Group, () => { WriteScenario.Run(context); return Task.CompletedTask; }).ConfigureAwait(false);
        await RunGroupAsync(context, CaptureVariantScenario.Group, () => { CaptureVariantScenario.Run(context); return Task.CompletedTask; }).ConfigureAwait(false);
        await RunGroupAsync(context, SyncScenario.Group, () => SyncScenario.RunAsync(context)).ConfigureAwait(false);
        if (options.Only is { } only && only.Contains(SyncScenario.InitialGroup) && !only.Contains(SyncScenario.Group))
        {
            await RunGroupAsync(context, SyncScenario.InitialGroup, () => SyncScenario.RunInitialOnlyAsync(context)).ConfigureAwait(false);
        }
        // A probe, not a figure of the report: only when asked for by name.
        if (options.Only?.Contains(InitialSyncThreads.Group) == true) { await RunGroupAsync(context, InitialSyncThreads.Group, () => InitialSyncThreads.RunAsync(context)).ConfigureAwait(false); }
        if (options.Only?.FirstOrDefault(g => g.StartsWith(SyncScenario.ApplyGroup, StringComparison.OrdinalIgnoreCase)) is { } applyGroup && !options.Only.Contains(SyncScenario.Group)) { await RunGroupAsync(context, applyGroup, () => SyncScenario.RunApplyOnlyAsync(context, applyGroup)).ConfigureAwait(false); }
        await RunGroupAsync(context, AnalyticsScenario.Group, () => AnalyticsScenario.RunAsync(context)).ConfigureAwait(false);
        if (options.Only?.Contains(OneRowStatementProbe.Group) == true) { await RunGroupAsync(context, OneRowStatementProbe.Group, () => { OneRowStatementProbe.Run(); return Task.CompletedTask; }).ConfigureAwait(false); }
        await RunGroupAsync(context, FreshnessScenario.Group, () => FreshnessScenario.RunAsync(context)).ConfigureAwait(false);
        await RunGroupAsync(context, RoutingScenario.Group, () => RoutingScenario.RunAsync(context)).ConfigureAwait(false);
        await RunGroupAsync(context, HtapScenario.Group, () => HtapScenario.RunAsync(context)).ConfigureAwait(false);
        await RunGroupAsync(context, MemoryScenario.Group, () => MemoryScenario.RunAsync(context)).ConfigureAwait(false);
        await RunGroupAsync(context, ArrowScenario.Group, () => ArrowScenario.RunAsync(context)).ConfigureAwait(false);
        await RunGroupAsync(context, FlightScenario.Group, () => FlightScenario.RunAsync(context)).ConfigureAwait(false);
        await RunGroupAsync(context, SidecarScenario.Group, () => SidecarScenario.RunAsync(context)).ConfigureAwait(false);
        await RunGroupAsync(context, SidecarScenario.ApplyGroup, () => SidecarScenario.RunApplyOnlyAsync(context)).ConfigureAwait(false);
        await RunGroupAsync(context, SidecarScenario.LoadGroup, () => SidecarScenario.RunLoadsAsync(context)).ConfigureAwait(false);
        await RunGroupAsync(context, BridgeScenario.Group, () => BridgeScenario.RunAsync(context)).ConfigureAwait(false);

        Console.WriteLine();
        Console.WriteLine($"Finished in {total.Elapsed.TotalSeconds:0} s.");
        Console.WriteLine();
        Console.WriteLine(report.ToMarkdownTable());
        if (options.JsonPath is { } json)
        {
            report.WriteJson(json, options);
            Console.WriteLine($"JSON written to {json}");
        }

        if (options.MarkdownPath is { } markdown)
        {
            await File.WriteAllTextAsync(markdown, report.ToMarkdownTable()).ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task RunGroupAsync(ScenarioContext context, string group, Func<Task> run)
    {
        if (!context.Options.Runs(group))
        {
            return;
        }

        Console.WriteLine($"[{group}]");
        var watch = Stopwatch.StartNew();
        try
        {
            await run().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // One failing scenario must not lose the figures of the others; the error is printed.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Console.WriteLine($"  {group} failed: {ex.GetType().Name}: {ex.Message}");
            context.Report.Add(new Measurement(group, "FAILED", 0, string.Empty, double.NaN, Note: $"{ex.GetType().Name}: {ex.Message}"));
        }

        Console.WriteLine($"  ({group}: {watch.Elapsed.TotalSeconds:0.0} s)");
    }
}
