namespace Rhei.Data;

/// <summary>Whether a replicated table is kept current in the DuckDB mirror.</summary>
public enum RheiTableSyncState
{
    /// <summary>Changes flow to the mirror.</summary>
    Active,

    /// <summary>
    /// The table holds a value its mirror column cannot hold; its queries run on SQLite until the
    /// row is repaired and the table is synced again.
    /// </summary>
    Quarantined,

    /// <summary>
    /// The mirror as a whole cannot take changes right now (see <see cref="RheiSyncStatus.MirrorUnavailableReason"/>);
    /// reads run on SQLite and the table catches up by itself once the mirror is back.
    /// </summary>
    Unavailable,
}
