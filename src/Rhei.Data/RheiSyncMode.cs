namespace Rhei.Data;

/// <summary>How the DuckDB mirror keeps the rows it receives from SQLite.</summary>
public enum RheiSyncMode
{
    /// <summary>The mirror holds the current rows only: updates overwrite, deletes remove.</summary>
    Destructive,

    /// <summary>
    /// The mirror keeps every version of every row (slowly changing dimension, type 2) with
    /// <c>_rhei_valid_from</c>, <c>_rhei_valid_to</c> and <c>_rhei_operation</c>.
    /// </summary>
    Temporal,
}
