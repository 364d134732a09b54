using Grpc.Core;

namespace Rhei.Data.FlightSql.Internal;

/// <summary>
/// Turns what a call threw into the gRPC status a Flight SQL client sees. Rhei.Data's errors already name the
/// engine ("… (engine: SQLite)"); the status message keeps that and never carries the connection string.
/// </summary>
internal static class FlightSqlStatus
{
    // SQLite's primary result codes that say what the caller did, not what broke.
    private const int SqliteError = 1, SqliteBusy = 5, SqliteLocked = 6, SqliteReadOnly = 8, SqliteConstraint = 19, SqliteMismatch = 20, SqliteRange = 25;

    public static RpcException ToRpcException(Exception exception, CancellationToken callToken) => exception switch
    {
        RpcException rpc => rpc,
        FlightSqlRequestException request => new RpcException(new Status(request.Status, request.Message)),
        OperationCanceledException when callToken.IsCancellationRequested
            => new RpcException(new Status(StatusCode.Cancelled, "The call was cancelled by the client; the query was interrupted.")),
        RheiException rhei => new RpcException(new Status(StatusOf(rhei), MessageOf(rhei))),
        // Rhei.Data reports a misuse (a missing parameter value, an unknown name) as these, with a message saying what to do.
        InvalidOperationException or ArgumentException or FormatException or NotSupportedException
            => new RpcException(new Status(StatusCode.InvalidArgument, $"Rhei.Data: {exception.Message}")),
        OperationCanceledException => new RpcException(new Status(StatusCode.DeadlineExceeded, $"Rhei.Data: {exception.Message}")),
        _ => new RpcException(new Status(StatusCode.Internal, $"Rhei.Data Flight SQL server: an internal error occurred ({exception.GetType().Name}).")),
    };

    private static StatusCode StatusOf(RheiException exception)
    {
        if (exception.InnerException is TimeoutException)
        {
            return StatusCode.DeadlineExceeded;
        }

        if (exception.Engine != "SQLite")
        {
            // DuckDB's and the provider's own errors are about the statement (binder, conversion, refusal).
            return StatusCode.InvalidArgument;
        }

        return (exception.SqliteErrorCode & 0xFF) switch
        {
            SqliteBusy or SqliteLocked => StatusCode.Unavailable,
            SqliteReadOnly => StatusCode.PermissionDenied,
            SqliteConstraint => StatusCode.FailedPrecondition,
            SqliteError or SqliteMismatch or SqliteRange => StatusCode.InvalidArgument,
            _ => StatusCode.Internal,
        };
    }

    private static string MessageOf(RheiException exception)
        => exception.Message.Contains("engine", StringComparison.OrdinalIgnoreCase)
            ? exception.Message
            : $"{exception.Message} (engine: {exception.Engine})";
}
