using System.Diagnostics;

namespace Rhei.Data.Sync;

/// <summary>
/// How current the mirror is, for the two read freshness checks: Strong compares the change source's latest
/// position with the applied one; Eventual with Max Staleness compares the time since the mirror last covered
/// every committed change with the bound. The pipeline tells this type when it caught up.
/// </summary>
internal sealed class MirrorFreshness
{
    // Stopwatch timestamp of the latest moment the mirror is known to have covered every committed change.
    private long _freshAt;

    /// <summary>How long ago the mirror last covered every committed change.</summary>
    public TimeSpan Staleness => Stopwatch.GetElapsedTime(Volatile.Read(ref _freshAt));

    /// <summary>True when a Strong read needs a cycle first: the source holds changes past the applied position.</summary>
    public static bool IsBehind(long sourcePosition, long appliedPosition) => sourcePosition > appliedPosition;

    /// <summary>True when an Eventual read may use the mirror as it is.</summary>
    public bool IsWithin(TimeSpan bound) => Staleness <= bound;

    /// <summary>Records that every change committed before <paramref name="timestamp"/> is in the mirror; never moves back.</summary>
    public void MarkFresh(long timestamp)
    {
        var current = Volatile.Read(ref _freshAt);
        while (timestamp > current)
        {
            var seen = Interlocked.CompareExchange(ref _freshAt, timestamp, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
