using System.Diagnostics;

namespace Rhei.Data.Sync;

/// <summary>
/// Process-wide time spent in each <see cref="ApplyPhase"/>, for profiling the apply path (the benchmarks' phase
/// table). Off unless <see cref="Enabled"/> is set: then each phase costs two timestamps per batch, never one per event.
/// Shared by every engine in the process, so a profile is only meaningful while one engine syncs.
/// </summary>
internal static class ApplyPhaseTimes
{
    private static readonly long[] s_ticks = new long[Enum.GetValues<ApplyPhase>().Length];
    private static volatile bool s_enabled;

    public static bool Enabled
    {
        get => s_enabled;
        set => s_enabled = value;
    }

    /// <summary>A start timestamp, or 0 when profiling is off.</summary>
    public static long Start() => s_enabled ? Stopwatch.GetTimestamp() : 0;

    /// <summary>Adds the time since <paramref name="started"/> to <paramref name="phase"/>; returns the new start for the next phase.</summary>
    public static long Stop(ApplyPhase phase, long started)
    {
        if (started == 0)
        {
            return 0;
        }

        var now = Stopwatch.GetTimestamp();
        Interlocked.Add(ref s_ticks[(int)phase], now - started);
        return now;
    }

    /// <summary>The time accumulated per phase since the last reset.</summary>
    public static IReadOnlyDictionary<ApplyPhase, TimeSpan> Read()
        => Enum.GetValues<ApplyPhase>().ToDictionary(p => p, p => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref s_ticks[(int)p])));

    public static void Reset()
    {
        for (var i = 0; i < s_ticks.Length; i++)
        {
            Interlocked.Exchange(ref s_ticks[i], 0);
        }
    }
}
