using System.Diagnostics;
using System.Text.RegularExpressions;
using Apache.Arrow;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Client;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;

namespace Rhei.Tool.Tests;

/// <summary>
/// <c>rhei serve</c> as an operator runs it: it prints its ports, answers Flight SQL with the bearer token (and refuses
/// without it), serves Prometheus metrics and health, and stops cleanly on SIGTERM.
/// </summary>
public sealed partial class ToolServeTest : IDisposable
{
    private const string Token = "serve-test-token";
    private readonly ToolWorkspace _workspace = new();

    [Fact]
    public async Task Serve_answers_flight_sql_with_the_token_serves_metrics_and_health_and_stops_on_sigterm()
    {
        await _workspace.SeedAsync();
        using var process = Start("serve", "--flight-port", "0", "--metrics-port", "0", "--token", Token);
        try
        {
            var ready = await ReadLineAsync(process, TimeSpan.FromMinutes(1));
            var match = Listening().Match(ready ?? string.Empty);
            Assert.True(match.Success, $"first line was '{ready}'");
            var flightPort = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var metricsPort = int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);

            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{flightPort}");
            var client = new FlightClient(channel);
            var query = FlightDescriptor.CreateCommandDescriptor(StatementQuery("SELECT region, SUM(amount) AS total FROM sales GROUP BY region ORDER BY region"));

            var refused = await Assert.ThrowsAsync<RpcException>(async () => await client.GetInfo(query).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);

            var headers = new Metadata { { "authorization", "Bearer " + Token } };
            var info = await client.GetInfo(query, headers).ResponseAsync;
            var regions = new List<string>();
            foreach (var endpoint in info.Endpoints)
            {
                var stream = client.GetStream(endpoint.Ticket, headers);
                while (await stream.ResponseStream.MoveNext(CancellationToken.None))
                {
                    var batch = stream.ResponseStream.Current;
                    var column = (StringArray)batch.Column(0);
                    for (var i = 0; i < batch.Length; i++)
                    {
                        regions.Add(column.GetString(i));
                    }
                }
            }

            Assert.Equal(["east", "north", "south"], regions);

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}") };
            Assert.Equal("Healthy", await http.GetStringAsync("/health"));
            var metrics = await http.GetStringAsync("/metrics");
            Assert.Contains("rhei_", metrics, StringComparison.Ordinal);
            Assert.DoesNotContain(Token, metrics, StringComparison.Ordinal);

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var exit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await process.WaitForExitAsync(exit.Token);
            var rest = await process.StandardOutput.ReadToEndAsync();
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("stopped", rest, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>A Flight SQL <c>CommandStatementQuery</c> (field 1: the query) packed in an Any, as the specification says.</summary>
    private static byte[] StatementQuery(string sql)
    {
        var command = new MemoryStream();
        using (var output = new CodedOutputStream(command, leaveOpen: true))
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteString(sql);
        }

        var any = new Any { TypeUrl = "type.googleapis.com/arrow.flight.protocol.sql.CommandStatementQuery", Value = ByteString.CopyFrom(command.ToArray()) };
        return any.ToByteArray();
    }

    private Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _workspace.Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ToolProcess.ToolPath);
        start.ArgumentList.Add("--connection");
        start.ArgumentList.Add(_workspace.Connection);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("RHEI_CONNECTION");
        return Process.Start(start)!;
    }

    private static async Task<string?> ReadLineAsync(Process process, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await process.StandardOutput.ReadLineAsync(cts.Token);
    }

    [GeneratedRegex(@"^listening flight=(\d+) metrics=(\d+)$")]
    private static partial Regex Listening();

    public void Dispose() => _workspace.Dispose();
}
