namespace Rhei.Data;

/// <summary>Which engine answers a command.</summary>
public enum RheiRoute
{
    /// <summary>Let the router decide from the statement's shape and the replication state.</summary>
    Auto,

    /// <summary>SQLite, the transactional engine and system of record.</summary>
    Oltp,

    /// <summary>DuckDB, the analytical mirror.</summary>
    Olap,
}
