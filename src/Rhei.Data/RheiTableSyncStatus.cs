namespace Rhei.Data;

/// <summary>The replication state of one table.</summary>
public sealed class RheiTableSyncStatus
{
    internal RheiTableSyncStatus(string table, RheiSyncMode mode, long rows, long lag, RheiTableSyncState state, string? quarantineReason, string? offendingKey)
    {
        Table = table;
        Mode = mode;
        Rows = rows;
        Lag = lag;
        State = state;
        QuarantineReason = quarantineReason;
        OffendingKey = offendingKey;
    }

    /// <summary>The table name as registered.</summary>
    public string Table { get; }

    /// <summary>How the mirror keeps this table's rows.</summary>
    public RheiSyncMode Mode { get; }

    /// <summary>Current rows in the mirror (live versions, in temporal mode).</summary>
    public long Rows { get; }

    /// <summary>Change events of this table not yet applied.</summary>
    public long Lag { get; }

    /// <summary>Whether the table is kept current or quarantined.</summary>
    public RheiTableSyncState State { get; }

    /// <summary>Why the table is quarantined (or, when <see cref="State"/> is Unavailable, why the mirror is), or null.</summary>
    public string? QuarantineReason { get; }

    /// <summary>The primary key of the row that caused the quarantine, rendered as text, or null.</summary>
    public string? OffendingKey { get; }

    /// <summary>
    /// How the table's changes are captured: <c>Triggers</c> for a local table, or the sidecar's capture
    /// (<c>Timestamp</c>, <c>LogicalReplication</c>) for a followed one.
    /// </summary>
    public string Capture { get; internal init; } = "Triggers";

    /// <summary>For a followed table, the source position the mirror has applied through (its compound watermark, or the LSN); null for a local table.</summary>
    public string? SourcePosition { get; internal init; }

    /// <summary>For a followed table, how long ago the mirror last covered every change its source had; null for a local table.</summary>
    public TimeSpan? Staleness { get; internal init; }

    /// <summary>
    /// For a table followed by PostgreSQL logical replication, the WAL bytes its replication slot holds behind the server
    /// (<c>pg_current_wal_lsn() − confirmed_flush_lsn</c>); null otherwise.
    /// </summary>
    public long? SourceLagBytes { get; internal init; }

    /// <summary>
    /// For a table followed by PostgreSQL logical replication, how long the slot has been behind: zero when nothing is
    /// pending, else the time since the commit of the last transaction the mirror confirmed; null otherwise or not yet known.
    /// </summary>
    public TimeSpan? SourceLagTime { get; internal init; }
}
