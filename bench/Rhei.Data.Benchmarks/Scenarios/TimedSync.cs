namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>One timed SyncAsync: events applied, seconds, and the time of each apply phase as text.</summary>
internal sealed record TimedSync(long Events, double Seconds, string Phases)
{
    public double Rate => Events / Seconds;
}
