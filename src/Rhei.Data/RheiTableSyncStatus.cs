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
}
