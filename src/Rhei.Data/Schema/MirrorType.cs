namespace Rhei.Data.Schema;

/// <summary>The storage class a mirror column holds; one DuckDB type each.</summary>
internal enum MirrorType
{
    /// <summary>SQLite INTEGER values; DuckDB BIGINT.</summary>
    Integer,

    /// <summary>SQLite REAL values (and integers that convert exactly); DuckDB DOUBLE.</summary>
    Real,

    /// <summary>SQLite TEXT values; DuckDB VARCHAR.</summary>
    Text,

    /// <summary>SQLite BLOB values; DuckDB BLOB.</summary>
    Blob,
}
