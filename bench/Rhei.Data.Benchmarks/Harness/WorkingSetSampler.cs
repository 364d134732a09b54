using System.Diagnostics;

namespace Rhei.Data.Benchmarks.Harness;

/// <summary>
/// Samples the process working set every few milliseconds while an operation runs. Process.PeakWorkingSet64
/// covers the whole process life (data generation included), so the peak during one operation needs sampling.
/// </summary>
internal sealed class WorkingSetSampler : IDisposable
{
    private readonly Timer _timer;
    private long _peak;

    public WorkingSetSampler()
    {
        Before = Current();
        _peak = Before;
        _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(10));
    }

    public long Before { get; }

    public long Peak
    {
        get
        {
            Sample();
            return Interlocked.Read(ref _peak);
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Sample()
    {
        var current = Current();
        long seen;
        while (current > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, current, seen) != seen)
        {
        }
    }

    private static long Current()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
