using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Rhei.Data Flight SQL server registered by <c>AddRheiFlightSql</c>.</summary>
public static class RheiFlightSqlEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the Arrow Flight gRPC service (<c>arrow.flight.protocol.FlightService</c>) to the registered
    /// <see cref="Rhei.Data.FlightSql.RheiFlightSqlServer"/>; the returned builder takes the usual endpoint conventions
    /// (authorization policies, host filters).
    /// </summary>
    public static GrpcServiceEndpointConventionBuilder MapRheiFlightSql(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapFlightEndpoint();
    }
}
