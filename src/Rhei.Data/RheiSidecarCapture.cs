namespace Rhei.Data;

/// <summary>How a sidecar learns of changes at its source (connection string key <c>Sidecar Capture</c>).</summary>
public enum RheiSidecarCapture
{
    /// <summary>Polls each table by its compound watermark (updated-at column, primary key).</summary>
    Timestamp,

    /// <summary>Follows PostgreSQL's write-ahead log through a replication slot (PostgreSQL only; its default).</summary>
    LogicalReplication,
}
