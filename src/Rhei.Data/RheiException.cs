using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;
using Rhei.Data.Olap;

namespace Rhei.Data;

/// <summary>
/// An error reported by one of Rhei.Data's engines. <see cref="Engine"/> says which engine failed;
/// the message carries that engine's own text.
/// </summary>
/// <remarks>
/// Every engine failure a user can see comes as this type, SQLite's included: a <see cref="SqliteException"/>
/// is wrapped (it is the <see cref="Exception.InnerException"/>, and <see cref="SqliteErrorCode"/> and
/// <see cref="ErrorCode"/> carry its codes), so one <c>catch (RheiException)</c> or <c>catch (DbException)</c>
/// handles both engines, and the message always says which one failed. Usage errors keep their ADO.NET types
/// (<see cref="InvalidOperationException"/>, <see cref="ArgumentException"/>, <see cref="InvalidCastException"/>),
/// and cancellation is an <see cref="OperationCanceledException"/>.
/// </remarks>
public sealed class RheiException : DbException
{
    internal const string SqliteEngineName = "SQLite";
    internal const string DuckDbEngineName = "DuckDB";
    internal const string ProviderEngineName = "Rhei.Data";
    internal const string PostgreSqlEngineName = "PostgreSQL";

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

    internal static RheiException FromDuckDb(DuckDbException ex, string? translatedSql = null)
    {
        var wrapped = new RheiException($"{ex.Message} (engine: DuckDB)", DuckDbEngineName, ex.DuckDbErrorType ?? 0, ex);
        if (translatedSql is not null)
        {
            wrapped.Data["TranslatedSql"] = translatedSql;
        }

        return wrapped;
    }

    /// <summary>
    /// Turns an engine's own exception into the public one: <see cref="SqliteException"/> and the internal
    /// DuckDB exception become a <see cref="RheiException"/> naming the engine; anything else is left alone.
    /// </summary>
    internal static bool TryTranslate(Exception ex, [NotNullWhen(true)] out RheiException? translated)
    {
        translated = ex switch
        {
            SqliteException sqlite => FromSqlite(sqlite),
            DuckDbException duckDb => FromDuckDb(duckDb),
            _ => null,
        };
        return translated is not null;
    }
}
