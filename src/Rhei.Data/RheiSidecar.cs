namespace Rhei.Data;

/// <summary>Which external database Rhei.Data follows in sidecar mode (connection string key <c>Sidecar</c>).</summary>
public enum RheiSidecar
{
    /// <summary>No sidecar: the <c>Data Source</c> SQLite file is the system of record.</summary>
    None,

    /// <summary>An external SQLite file, opened read-only and never written.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server, named by a quoted Npgsql connection string.</summary>
    PostgreSql,
}
