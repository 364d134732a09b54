using System.CommandLine;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Rhei.Data.FlightSql;
using Spectre.Console;

namespace Rhei.Tool.Commands;

/// <summary>
/// <c>rhei serve</c>: background sync, an Arrow Flight SQL endpoint, a Prometheus <c>/metrics</c> endpoint and a
/// <c>/health</c> endpoint, on loopback unless told otherwise. Prints <c>listening flight=&lt;port&gt; metrics=&lt;port&gt;</c>
/// once both listen (port 0 picks free ports), and stops cleanly on Ctrl+C or SIGTERM.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(ToolConsole console, ConnectionOption connection)
    {
        var flightPort = new Option<int>("--flight-port") { Description = "The Flight SQL port (0: a free one).", DefaultValueFactory = _ => 31337 };
        var metricsPort = new Option<int>("--metrics-port") { Description = "The port of /metrics and /health (0: a free one).", DefaultValueFactory = _ => 9464 };
        var host = new Option<string>("--host") { Description = "The address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
        var token = new Option<string?>("--token") { Description = "A bearer token Flight SQL clients must send (default: $RHEI_FLIGHT_TOKEN; none: no authentication)." };
        var readOnly = new Option<bool>("--read-only") { Description = "Refuse updates over Flight SQL." };
        var certificate = new Option<string?>("--tls-certificate") { Description = "A PFX certificate file: Flight SQL over TLS." };
        var certificatePassword = new Option<string?>("--tls-certificate-password") { Description = "The certificate's password (default: $RHEI_TLS_PASSWORD)." };
        var command = new Command("serve", "Serve the data source: background sync, Arrow Flight SQL, Prometheus /metrics and /health.")
        {
            flightPort, metricsPort, host, token, readOnly, certificate, certificatePassword,
        };
        ToolAction.Set(command, console, connection, async (session, parsed, ct) =>
        {
            if (!IPAddress.TryParse(parsed.GetValue(host), out var address))
            {
                throw new ToolFailure($"--host '{parsed.GetValue(host)}' is not an IP address", ToolExitCodes.Usage);
            }

            var options = new RheiFlightSqlOptions
            {
                BearerToken = parsed.GetValue(token) ?? Environment.GetEnvironmentVariable("RHEI_FLIGHT_TOKEN"),
                ReadOnly = parsed.GetValue(readOnly),
            };
            var pfx = parsed.GetValue(certificate);
            var pfxPassword = parsed.GetValue(certificatePassword) ?? Environment.GetEnvironmentVariable("RHEI_TLS_PASSWORD");

            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.Listen(address, parsed.GetValue(flightPort), listen =>
                {
                    listen.Protocols = HttpProtocols.Http2;
                    if (pfx is not null)
                    {
                        listen.UseHttps(pfx, pfxPassword);
                    }
                });
                kestrel.Listen(address, parsed.GetValue(metricsPort), listen => listen.Protocols = HttpProtocols.Http1);
            });
            builder.Services.AddRheiFlightSql(session.DataSource, options);
            builder.Services.AddHealthChecks().AddRhei(session.DataSource);
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter("Rhei.Data").AddPrometheusExporter());

            await using var app = builder.Build();
            // Flight SQL listens with HTTP/2 only and /metrics, /health with HTTP/1.1 only, so each port answers only
            // its own protocol even though the endpoints are not bound to one port (port 0 is known only after start).
            app.MapRheiFlightSql();
            app.MapPrometheusScrapingEndpoint("/metrics");
            app.MapHealthChecks("/health");
            await app.StartAsync(ct).ConfigureAwait(false);

            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a).Port).ToArray();
            console.Out.WriteLine($"listening flight={addresses[0]} metrics={addresses[1]}");
            try
            {
                await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }

            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            console.Out.WriteLine("stopped");
        });
        return command;
    }
}
