namespace Rhei.Data.Olap;

/// <summary>
/// A failure reported by DuckDB, carrying DuckDB's own message. The public provider exception wraps it.
/// </summary>
internal sealed class DuckDbException : Exception
{
    /// <summary><c>DUCKDB_ERROR_INTERRUPT</c>: the statement was cancelled by <c>duckdb_interrupt</c>.</summary>
    internal const int InterruptErrorType = 29;

    public DuckDbException(string message, int? errorType = null, Exception? innerException = null)
        : base(message, innerException)
    {
        DuckDbErrorType = errorType;
    }

    /// <summary>
    /// DuckDB's <c>duckdb_error_type</c> (13 catalog, 14 parser, 18 constraint, 29 interrupt, ...), or
    /// <see langword="null"/> where the C API does not report one (prepare and extract failures).
    /// </summary>
    public int? DuckDbErrorType { get; }
}
