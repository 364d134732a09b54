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
}
