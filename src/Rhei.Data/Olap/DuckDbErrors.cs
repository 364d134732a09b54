using System.Diagnostics.CodeAnalysis;
using Rhei.Data.Olap.Native;

namespace Rhei.Data.Olap;

/// <summary>
/// The one place that turns a failed DuckDB call into an exception: <see cref="DuckDbException"/> with
/// DuckDB's text, or <see cref="OperationCanceledException"/> for an interrupt.
/// </summary>
internal static class DuckDbErrors
{
    public static void ThrowIfFailed(DuckDbState state, DuckDbResultHandle result)
    {
        if (state != DuckDbState.Success)
        {
            ThrowForResult(result);
        }
    }

    [DoesNotReturn]
    public static void ThrowForResult(DuckDbResultHandle result)
    {
        string message = NativeMethods.Query.ResultError(result) ?? "DuckDB reported an error without a message.";
        Throw(message, NativeMethods.Query.ResultErrorType(result));
    }

    public static void ThrowIfFailed(DuckDbState state, DuckDbPreparedStatementHandle statement)
    {
        if (state != DuckDbState.Success)
        {
            Throw(NativeMethods.Prepared.PrepareError(statement) ?? "DuckDB could not prepare or bind the statement.", errorType: null);
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
        using (DuckDbErrorDataHandle error = NativeMethods.Appender.AppenderErrorData(appender))
        {
            if (!error.IsInvalid && NativeMethods.Errors.ErrorDataHasError(error))
            {
                message = NativeMethods.Errors.ErrorDataMessage(error) ?? "The DuckDB appender failed without a message.";
                errorType = NativeMethods.Errors.ErrorDataErrorType(error);
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
        var exception = new DuckDbException(message, errorType);
        if (errorType == DuckDbException.InterruptErrorType)
        {
            throw new OperationCanceledException(message, exception);
        }

        throw exception;
    }
}
