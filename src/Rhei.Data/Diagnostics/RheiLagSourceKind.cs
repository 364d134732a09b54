namespace Rhei.Data.Diagnostics;

/// <summary>Which part of Rhei a lag reading describes; each kind has its own pair of gauges.</summary>
internal enum RheiLagSourceKind
{
    /// <summary>The sync pipeline: change events in the source not yet applied to the DuckDB mirror (<c>rhei.sync.lag.*</c>).</summary>
    Sync,

    /// <summary>The durable bridge log: events written to it and not yet consumed (<c>rhei.bridge.lag.*</c>).</summary>
    Bridge,

    /// <summary>A followed external database (the sidecar): its changes not yet applied (<c>rhei.sidecar.lag.*</c>).</summary>
    Sidecar,
}
