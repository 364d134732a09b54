namespace Rhei.Data.FlightSql.Internal;

/// <summary>A request the server cannot take as it is (an unknown command, a bad handle, a parameter it cannot bind):
/// never leaves the server as itself, it becomes an <c>InvalidArgument</c> (or the given) gRPC status.</summary>
internal sealed class FlightSqlRequestException : Exception
{
    public FlightSqlRequestException(string message, Grpc.Core.StatusCode status = Grpc.Core.StatusCode.InvalidArgument)
        : base(message) => Status = status;

    public Grpc.Core.StatusCode Status { get; }
}
