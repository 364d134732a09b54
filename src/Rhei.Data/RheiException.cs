using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Rhei.Data;

/// <summary>
/// An error reported by one of Rhei.Data's engines. <see cref="Engine"/> says which engine failed;
/// the message carries that engine's own text.
/// </summary>
public sealed class RheiException : DbException
{
    internal const string SqliteEngineName = "SQLite";
    internal const string DuckDbEngineName = "DuckDB";
    internal const string ProviderEngineName = "Rhei.Data";

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The message, naming what went wrong and what to do.</param>
    /// <param name="engine">The engine that failed: <c>SQLite</c>, <c>DuckDB</c> or <c>Rhei.Data</c>.</param>
    /// <param name="errorCode">The engine's error code, or 0.</param>
    /// <param name="innerException">The engine's own exception, if any.</param>
    public RheiException(string message, string engine, int errorCode = 0, Exception? innerException = null)
        : base(message, innerException)
    {
        Engine = engine;
        EngineErrorCode = errorCode;
        HResult = errorCode == 0 ? HResult : errorCode;
    }

    /// <summary>The engine that reported the error: <c>SQLite</c>, <c>DuckDB</c> or <c>Rhei.Data</c>.</summary>
    public string Engine { get; }

    /// <summary>The engine's error code: SQLite's extended result code, or DuckDB's error type.</summary>
    public int EngineErrorCode { get; }

    /// <inheritdoc />
    public override int ErrorCode => EngineErrorCode;

    /// <summary>The SQLite result code when SQLite failed; otherwise 0.</summary>
    public int SqliteErrorCode => InnerException is SqliteException sqlite ? sqlite.SqliteErrorCode : 0;

    /// <inheritdoc />
    /// <remarks>SQLite's busy and locked errors are transient: the same command may succeed when retried.</remarks>
    public override bool IsTransient => SqliteErrorCode is 5 or 6;

    /// <inheritdoc />
    public override string? SqlState => null;

    internal static RheiException FromSqlite(SqliteException ex)
        => new($"{ex.Message} (engine: SQLite)", SqliteEngineName, ex.SqliteExtendedErrorCode, ex);

    internal static RheiException Provider(string message, Exception? inner = null)
        => new(message, ProviderEngineName, 0, inner);
}
