using Rhei.Data.Benchmarks.Harness;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>What every scenario shares: options, the report, and baselines measured earlier in the same run.</summary>
internal sealed class ScenarioContext(RunOptions options, Report report)
{
    public RunOptions Options { get; } = options;

    public Report Report { get; } = report;

    public bool Quick => Options.Quick;

    /// <summary>Raw Microsoft.Data.Sqlite batched-insert rows/s by row count: the denominator of the sync ratios.</summary>
    public Dictionary<long, double> RawBatchedInsertRate { get; } = [];

    /// <summary>
    /// Whether replication has landed: before it, the sync calls are placeholders and capture is not installed,
    /// so the write ratios mean nothing and the sync figures cannot be taken.
    /// </summary>
    public bool ReplicationAvailable { get; set; } = true;

    public BenchDirectory NewDirectory(string name) => new(Options.WorkDirectory, name);

    public IReadOnlyList<long> Sizes(long[] quick, long[] full) => Options.Sizes ?? (Quick ? quick : full);
}
