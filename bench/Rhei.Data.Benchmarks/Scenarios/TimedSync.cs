namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>One timed SyncAsync: events applied, wall and CPU seconds (the whole process), and the time of each apply phase as text.</summary>
internal sealed record TimedSync(long Events, double Seconds, double CpuSeconds, string Phases)
{
    public double Rate => Events / Seconds;

    /// <summary>Events per CPU second: on a loaded machine the wall time also counts waiting for a core.</summary>
    public double CpuRate => Events / CpuSeconds;
}
