using Rhei.Data.Sync;

namespace Rhei.Data.Sidecar;

/// <summary>The public sync controls in sidecar mode: the local tables' sync and the sidecar's, reported as one.</summary>
internal static class SidecarSync
{
    public static async Task<RheiSyncResult> SyncAsync(LocalReplicator local, SidecarReplicator sidecar, CancellationToken ct)
    {
        var localResult = await local.SyncAsync(ct).ConfigureAwait(false);
        var followed = await sidecar.SyncAsync(ct).ConfigureAwait(false);
        return new RheiSyncResult(
            localResult.EventsProcessed + followed.EventsProcessed,
            localResult.RowsInserted + followed.RowsInserted,
            localResult.RowsUpdated + followed.RowsUpdated,
            localResult.RowsDeleted + followed.RowsDeleted,
            localResult.EventsPruned,
            localResult.Duration + followed.Duration);
    }

    /// <summary>
    /// A followed table is copied again with every other followed table (their position is one snapshot of the source);
    /// a local table as without a sidecar.
    /// </summary>
    public static Task<long> InitialSyncAsync(LocalReplicator local, SidecarReplicator sidecar, string table, IProgress<long>? progress, CancellationToken ct)
        => sidecar.IsFollowed(table) ? sidecar.CopyAgainAsync(progress, ct) : local.InitialSyncAsync(table, progress, ct);

    /// <summary>The local tables, then the followed ones; the progress counts on across both, so it only rises.</summary>
    public static async Task<long> InitialSyncAllAsync(LocalReplicator local, SidecarReplicator sidecar, IProgress<long>? progress, CancellationToken ct)
    {
        var localRows = await local.InitialSyncAllAsync(progress, ct).ConfigureAwait(false);
        var followed = await sidecar.CopyAgainAsync(progress is null ? null : new OffsetProgress(progress, localRows), ct).ConfigureAwait(false);
        return localRows + followed;
    }

    public static async Task<RheiSyncStatus> GetStatusAsync(LocalReplicator local, SidecarReplicator sidecar, CancellationToken ct)
    {
        var status = await local.GetStatusAsync(ct).ConfigureAwait(false);
        var followed = await sidecar.GetStatusAsync(ct).ConfigureAwait(false);
        return new RheiSyncStatus(status.Lag + followed.Sum(t => t.Lag), status.LastSyncedSequence, status.IsBackgroundSyncRunning, [.. status.Tables, .. followed])
        {
            MirrorUnavailableReason = status.MirrorUnavailableReason,
            LastRebuildReason = status.LastRebuildReason,
            LastRebuildAt = status.LastRebuildAt,
        };
    }

    /// <summary>Reports to <paramref name="inner"/> what it hears plus the rows counted before it (synchronously, unlike <see cref="Progress{T}"/>).</summary>
    private sealed class OffsetProgress(IProgress<long> inner, long offset) : IProgress<long>
    {
        public void Report(long value) => inner.Report(offset + value);
    }
}
