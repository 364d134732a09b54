using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Rhei.Data.Benchmarks.Micro;

/// <summary>
/// Runs the BenchmarkDotNet suites in process: the out-of-process toolchain would build a generated project
/// under the solution's warnings-as-errors and needs the native DuckDB library copied again.
/// </summary>
internal static class MicroRunner
{
    public static void Run(string[] args)
    {
        var config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        BenchmarkSwitcher.FromAssembly(typeof(MicroRunner).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args, config);
    }
}
