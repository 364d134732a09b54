using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Rhei.Data.FlightSql.Tests;

/// <summary>
/// A real Kestrel on a free loopback port (port 0, HTTP/2 without TLS) serving a Rhei.Data Flight SQL server over a
/// SQLite file of its own with a DuckDB mirror; an <c>orders</c> table is created and synced before the first call.
/// </summary>
internal sealed class FlightSqlTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _directory;

    private FlightSqlTestServer(WebApplication app, string directory, RheiDataSource dataSource, Uri address)
    {
        _app = app;
        _directory = directory;
        DataSource = dataSource;
        Address = address;
        Server = app.Services.GetRequiredService<RheiFlightSqlServer>();
    }

    public RheiDataSource DataSource { get; }

    public Uri Address { get; }

    public RheiFlightSqlServer Server { get; }

    public static async Task<FlightSqlTestServer> StartAsync(RheiFlightSqlOptions? options = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "rhei-flight-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var dataSource = RheiDataSource.Create($"Data Source={Path.Combine(directory, "flight.db")};Olap=DuckDb;Sync Interval=50");
        await SeedAsync(dataSource);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddRheiFlightSql(dataSource, options);
        var app = builder.Build();
        app.MapRheiFlightSql();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new FlightSqlTestServer(app, directory, dataSource, new Uri(address));
    }

    public FlightSqlTestClient CreateClient(string? bearerToken = null) => new(Address, bearerToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await DataSource.DisposeAsync();
        RheiConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static async Task SeedAsync(RheiDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, amount REAL);
            INSERT INTO orders (id, customer, amount) VALUES (1, 'ada', 10.5), (2, 'bob', 20.0), (3, 'ada', 4.5), (4, 'cy', NULL);
            CREATE VIEW big_orders AS SELECT * FROM orders WHERE amount > 10;
            """;
        await command.ExecuteNonQueryAsync();
        await connection.SyncAsync();
    }
}
