using System.Diagnostics.CodeAnalysis;
using DuckDB.NET.Native;
using Rhei.Data.Olap.Native;
using DuckDBNative = DuckDB.NET.Native.NativeMethods;

namespace Rhei.Data.Olap;

/// <summary>
/// The one place that turns a failed DuckDB call into an exception: <see cref="DuckDbException"/> with
/// DuckDB's text, or <see cref="OperationCanceledException"/> for an interrupt.
/// </summary>
internal static class DuckDbErrors
{
    public static void ThrowIfFailed(DuckDBState state, DuckDbResultHandle result)
    {
        if (state != DuckDBState.Success)
        {
            ThrowForResult(result);
        }
    }

    [DoesNotReturn]
    public static void ThrowForResult(DuckDbResultHandle result)
    {
        string message = DuckDBNative.Query.DuckDBResultError(ref result.Result) ?? "DuckDB reported an error without a message.";
        Throw(message, (int)DuckDBNative.Query.DuckDBResultErrorType(ref result.Result));
    }

    /// <summary>The error stored on a result, or <see langword="null"/>; a NULL chunk is either the end or this.</summary>
    public static string? ResultError(DuckDbResultHandle result) => DuckDBNative.Query.DuckDBResultError(ref result.Result);

    public static void ThrowIfFailed(DuckDBState state, DuckDBPreparedStatement statement)
    {
        if (state != DuckDBState.Success)
        {
            Throw(DuckDBNative.PreparedStatements.DuckDBPrepareError(statement) ?? "DuckDB could not prepare or bind the statement.", errorType: null);
        }
    }

    /// <summary>
    /// Reads <c>duckdb_appender_error_data</c> right after a failed appender call. <paramref name="prefix"/> adds
    /// context DuckDB's text lacks (which column), <paramref name="suffix"/> what happened afterwards.
    /// </summary>
    [DoesNotReturn]
    public static void ThrowForAppender(DuckDbAppenderHandle appender, string? suffix = null, string? prefix = null)
    {
        string message;
        int? errorType = null;
        using (DuckDBErrorData error = DuckDbNativeMethods.Appender.AppenderErrorData(appender))
        {
            if (!error.IsInvalid && DuckDBNative.ErrorData.DuckDBErrorDataHasError(error))
            {
                message = DuckDBNative.ErrorData.DuckDBErrorDataMessage(error) ?? "The DuckDB appender failed without a message.";
                errorType = (int)DuckDBNative.ErrorData.DuckDBErrorDataErrorType(error);
            }
            else
            {
                message = "The DuckDB appender call failed without reporting an error.";
            }
        }

        if (prefix is not null)
        {
            message = prefix + message;
        }

        Throw(suffix is null ? message : message + " " + suffix, errorType);
    }

    [DoesNotReturn]
    public static void Throw(string message, int? errorType)
    {
        // Prepare and extract failures carry no error type in the C API, yet an interrupt that lands while DuckDB
        // binds or plans fails there ("INTERRUPT Error: Interrupted!"): without this, a cancelled command would
        // surface as a plain engine error instead of a cancellation, depending on when the interrupt arrived.
        errorType ??= IsInterruptMessage(message) ? DuckDbException.InterruptErrorType : null;
        var exception = new DuckDbException(message, errorType);
        if (errorType == DuckDbException.InterruptErrorType)
        {
            throw new OperationCanceledException(message, exception);
        }

        throw exception;
    }

    /// <summary>DuckDB prefixes every message with its exception type's name; an interrupt's is <c>INTERRUPT</c>.</summary>
    internal static bool IsInterruptMessage(string message) =>
        message.StartsWith("INTERRUPT Error:", StringComparison.OrdinalIgnoreCase);
}
