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
}
