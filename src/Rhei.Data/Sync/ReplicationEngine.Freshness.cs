using System.Diagnostics;

namespace Rhei.Data.Sync;

// Bounded staleness for Freshness=Eventual with Max Staleness: a read may use the mirror as it is when
// the mirror covered every committed change recently enough; otherwise it catches up first.
internal sealed partial class ReplicationEngine
{
    // Stopwatch timestamp of the latest moment the mirror is known to have covered every committed change.
    private long _freshAt;

    /// <summary>How long ago the mirror last covered every committed change.</summary>
    public TimeSpan Staleness => Stopwatch.GetElapsedTime(Volatile.Read(ref _freshAt));

    /// <summary>Returns at once when the mirror is no older than <paramref name="bound"/>; otherwise syncs as a strong read would.</summary>
    public async Task EnsureFreshWithinAsync(TimeSpan bound, CancellationToken ct)
    {
        if (Staleness <= bound)
        {
            return;
        }

        var probedAt = Stopwatch.GetTimestamp();
        await EnsureFreshAsync(ct).ConfigureAwait(false);
        MarkFresh(probedAt);
    }

    private void MarkFresh(long timestamp)
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
