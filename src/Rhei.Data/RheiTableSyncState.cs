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
}
