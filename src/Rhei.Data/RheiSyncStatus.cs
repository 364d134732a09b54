namespace Rhei.Data;

/// <summary>A snapshot of how far the DuckDB mirror is behind SQLite.</summary>
public sealed class RheiSyncStatus
{
    internal RheiSyncStatus(long lag, long lastSyncedSequence, bool isBackgroundSyncRunning, IReadOnlyList<RheiTableSyncStatus> tables)
    {
        Lag = lag;
        LastSyncedSequence = lastSyncedSequence;
        IsBackgroundSyncRunning = isBackgroundSyncRunning;
        Tables = tables;
    }

    /// <summary>Change events committed in SQLite that the mirror has not applied yet.</summary>
    public long Lag { get; }

    /// <summary>The sequence number of the last change event the mirror has applied.</summary>
    public long LastSyncedSequence { get; }

    /// <summary>Whether the background sync loop is running.</summary>
    public bool IsBackgroundSyncRunning { get; }

    /// <summary>One entry per replicated table, ordered by name.</summary>
    public IReadOnlyList<RheiTableSyncStatus> Tables { get; }

    /// <summary>
    /// Why the mirror cannot take changes right now (for example, its disk is full), or null when it can. Meanwhile
    /// every read runs on SQLite, no change is lost, and the sync retries with backoff until the mirror is back.
    /// </summary>
    public string? MirrorUnavailableReason { get; internal init; }

    /// <summary>
    /// Why the mirror was last rebuilt from SQLite because it no longer matched it (a restored SQLite file, change
    /// events deleted or triggers dropped outside Rhei.Data, a mirror of another database), or null if it never was.
    /// </summary>
    public string? LastRebuildReason { get; internal init; }

    /// <summary>
    /// How long the mirror has been behind: the time since it last covered every committed change, or
    /// <see cref="TimeSpan.Zero"/> when <see cref="Lag"/> is 0.
    /// </summary>
    public TimeSpan Staleness { get; internal init; }

    /// <summary>
    /// Sync cycles that failed in a row (background, explicit or for a Strong read); 0 after any cycle succeeds. While it
    /// grows the background loop keeps retrying with backoff, and reads may run on SQLite.
    /// </summary>
    public int ConsecutiveSyncFailures { get; internal init; }

    /// <summary>When <see cref="LastRebuildReason"/> happened, or null.</summary>
    public DateTimeOffset? LastRebuildAt { get; internal init; }

    /// <summary>With <c>Bridge Path</c>: the highest change sequence moved into the durable bridge log; null without a bridge.</summary>
    public long? BridgeWatermark { get; internal init; }

    /// <summary>With <c>Bridge Path</c>: how many change events the bridge log holds (bridged, not yet pruned); null without a bridge.</summary>
    public long? BridgeLogEvents { get; internal init; }
}
