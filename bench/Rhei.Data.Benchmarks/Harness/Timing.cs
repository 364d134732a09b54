using System.Diagnostics;

namespace Rhei.Data.Benchmarks.Harness;

/// <summary>Small timing helpers: wall time of an action, and percentiles of a latency sample.</summary>
internal static class Timing
{
    public static TimeSpan Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed;
    }

    public static async Task<TimeSpan> TimeAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action().ConfigureAwait(false);
        return watch.Elapsed;
    }

    /// <summary>Median milliseconds over <paramref name="repeats"/> runs after one warm-up run.</summary>
    public static double MedianMs(int repeats, Action action)
    {
        action();
        var samples = new double[repeats];
        for (var i = 0; i < repeats; i++)
        {
            samples[i] = Time(action).TotalMilliseconds;
        }

        return Percentile(samples, 0.5);
    }

    public static double Percentile(IReadOnlyList<double> samples, double p)
    {
        if (samples.Count == 0)
        {
            return double.NaN;
        }

        var sorted = samples.ToArray();
        Array.Sort(sorted);
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }
}
