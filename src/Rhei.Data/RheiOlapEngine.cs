namespace Rhei.Data;

/// <summary>The analytical engine behind a connection.</summary>
public enum RheiOlapEngine
{
    /// <summary>A DuckDB mirror of the replicated SQLite tables.</summary>
    DuckDb,

    /// <summary>No analytical engine: the connection is a plain SQLite connection.</summary>
    None,
}
