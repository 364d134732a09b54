using Apache.Arrow.Flight.Server;
using Rhei.Data;
using Rhei.Data.FlightSql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a Rhei.Data Flight SQL server in an ASP.NET Core application's services.</summary>
public static class RheiFlightSqlServiceCollectionExtensions
{
    /// <summary>
    /// Adds gRPC and the Flight SQL server for <paramref name="dataSource"/> (one <see cref="RheiFlightSqlServer"/> for
    /// every call, so prepared statements live across calls); then map it with <c>app.MapRheiFlightSql()</c>.
    /// The data source stays the caller's to dispose. TLS is the host's: configure Kestrel with an HTTPS endpoint
    /// (and HTTP/2, which gRPC needs on a plain endpoint too).
    /// </summary>
    public static IServiceCollection AddRheiFlightSql(this IServiceCollection services, RheiDataSource dataSource, RheiFlightSqlOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(dataSource);
        var server = new RheiFlightSqlServer(dataSource, options);
        // Compression (CompressResponses) is chosen per call by the server, not here: see ResponseCompression.
        services.AddGrpc();
        services.AddSingleton(server);
        // Apache.Arrow.Flight.AspNetCore's service resolves the FlightServer it forwards every call to.
        services.AddSingleton<FlightServer>(server);
        return services;
    }
}
