using System.Diagnostics;

namespace Rhei.Data.Sync;

// Bounded staleness for Freshness=Eventual with Max Staleness: a read may use the mirror as it is when
// the mirror covered every committed change recently enough; otherwise it catches up first.
internal sealed partial class LocalReplicator
{
    private MirrorFreshness Freshness => _pipeline.Freshness;

    /// <summary>
    /// Called by SQLite's commit hook on connections opened through Rhei (on the committing thread, so it only signals):
    /// the background loop syncs now instead of at its next interval.
    /// </summary>
    public void NoteCommit()
    {
        _pipeline.NoteCommit();
        Feed.NoteCommit();
    }

    /// <summary>
    /// SQLite's schema version as the engine last read it (at start and every cycle): cached query plans are kept
    /// against it, so a new index or table is planned afresh within a cycle of its creation.
    /// </summary>
    public long SchemaVersion => Interlocked.Read(ref _schemaVersion);

    /// <summary>Grows with every cycle that applied changes to the mirror (row counts read before it may be out of date).</summary>
    public long AppliedCycles => _pipeline.AppliedCycles;

    /// <summary>How long ago the mirror last covered every committed change.</summary>
    public TimeSpan Staleness => Freshness.Staleness;

    /// <summary>Returns at once when the mirror is no older than <paramref name="bound"/>; otherwise syncs as a strong read would.</summary>
    public async Task EnsureFreshWithinAsync(TimeSpan bound, CancellationToken ct)
    {
        if (Freshness.IsWithin(bound))
        {
            return;
        }

        var probedAt = Stopwatch.GetTimestamp();
        await EnsureFreshAsync(ct).ConfigureAwait(false);
        Freshness.MarkFresh(probedAt);
    }
}
