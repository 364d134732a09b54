using Rhei.Data.Schema;
using Rhei.Data.Sql;

namespace Rhei.Data.Sync;

/// <summary>
/// The planner's view of one data source's mirror: the replication registry, the mirror's quarantine list and whether
/// DuckDB can answer now. Made once per engine; every answer reads the current state.
/// </summary>
internal sealed class ReplicationCatalog(RheiEngine engine) : IMirrorCatalog
{
    public bool OlapAvailable => engine.OlapAvailable && engine.Replication is not null;

    public bool TemporalMirror => engine.Options.SyncMode == RheiSyncMode.Temporal;

    public IReadOnlyDictionary<string, TableSchema>? Tables => engine.Sidecar is { } sidecar
        ? _followed.Merge(engine.Replication?.Registry.Snapshot, sidecar.Tables)
        : engine.Replication?.Registry.Snapshot;

    // Followed (sidecar) tables count as replicated: their mirrors answer reads like local ones.
    public bool IsReplicated(string table) => (engine.Replication?.IsReplicated(table) ?? false) || (engine.Sidecar?.IsFollowed(table) ?? false);

    public bool IsTemporal(string table) => (engine.Replication?.IsTemporal(table) ?? false)
        || (engine.Options.SyncMode == RheiSyncMode.Temporal && (engine.Sidecar?.IsFollowed(table) ?? false));

    public string? QuarantineReason(string table) => engine.Replication?.QuarantineReason(table) ?? engine.Sidecar?.QuarantineReason(table);

    private readonly Sidecar.SidecarCatalogTables _followed = new();
}
