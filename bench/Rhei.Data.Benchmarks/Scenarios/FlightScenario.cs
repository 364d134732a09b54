using System.Diagnostics;
using Apache.Arrow;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Client;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rhei.Data.Benchmarks.Harness;
using Rhei.Data.FlightSql.Protocol;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>
/// The Flight SQL server over loopback (issue 15): a Kestrel on 127.0.0.1 (HTTP/2, no TLS) serving a data source,
/// driven by Apache.Arrow.Flight's client as ADBC drives a server — GetFlightInfo with the SQL, then DoGet of the
/// ticket. Small queries per second from one client (a point lookup, answered by SQLite, on a small table and on
/// the large one), and the throughput of a 5-column result of N rows on the DuckDB route, in MB/s of Arrow buffers.
/// </summary>
internal static class FlightScenario
{
    public const string Group = "flight";

    /// <summary>rhei's own Flight SQL server, the issue's figure for small queries on its author's machine.</summary>
    private const double RheiQueriesPerSecond = 1_713;

    public static async Task RunAsync(ScenarioContext context)
    {
        var rows = context.Sizes([1_000_000], [1_000_000])[0];
        using var directory = context.NewDirectory("flight");
        await using var dataSource = RheiDataSource.Create($"Data Source={directory.File("flight.db")};Olap=DuckDb;Sync Interval=0");
        await SeedAsync(dataSource, rows).ConfigureAwait(false);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddRheiFlightSql(dataSource);
        await using var app = builder.Build();
        app.MapRheiFlightSql();
        await app.StartAsync().ConfigureAwait(false);
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxReceiveMessageSize = null });
            var client = new FlightClient(channel);

            // Small queries: one client, one after the other, for a fixed time after a warm-up.
            var duration = TimeSpan.FromSeconds(context.Quick ? 3 : 10);
            for (var i = 0; i < 200; i++)
            {
                await QueryAsync(client, $"SELECT name FROM small WHERE id = {i + 1}").ConfigureAwait(false);
            }

            var queries = 0;
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < duration)
            {
                var (count, _) = await QueryAsync(client, $"SELECT name FROM small WHERE id = {queries % 1000 + 1}").ConfigureAwait(false);
                if (count != 1)
                {
                    throw new InvalidOperationException($"A point lookup returned {count} rows.");
                }

                queries++;
            }

            var perSecond = queries / watch.Elapsed.TotalSeconds;
            context.Report.Add(new Measurement(Group, "Flight SQL small query (GetFlightInfo + DoGet, SQLite route)", queries, "queries/s",
                perSecond, RheiQueriesPerSecond, "rhei queries/s (issue figure, other machine)", perSecond / RheiQueriesPerSecond,
                Note: $"one client over loopback for {duration.TotalSeconds:0} s, a 1,000-row table"));

            // The same lookup on the large table: the SQLite route's Arrow path reads Microsoft.Data.Sqlite's
            // GetSchemaTable, which scans the table once per result column (reported, not fixed, in this scenario).
            var large = Stopwatch.StartNew();
            const int largeLookups = 3;
            for (var i = 0; i < largeLookups; i++)
            {
                await QueryAsync(client, $"SELECT name FROM wide WHERE id = {i + 1}").ConfigureAwait(false);
            }

            var largePerSecond = largeLookups / large.Elapsed.TotalSeconds;
            context.Report.Add(new Measurement(Group, "Flight SQL small query on a large table (SQLite route)", rows, "queries/s",
                largePerSecond, perSecond, "queries/s on the 1,000-row table", largePerSecond / perSecond,
                Note: $"{largeLookups} point lookups on the {rows:N0}-row table, {large.Elapsed.TotalMilliseconds / largeLookups:0} ms each"));

            // A large result on the DuckDB route: best of a few rounds, every batch received and counted.
            var best = double.MaxValue;
            long bytes = 0;
            for (var round = 0; round < (context.Quick ? 3 : 5); round++)
            {
                var timer = Stopwatch.StartNew();
                var (count, received) = await QueryAsync(client, "/*+ rhei:olap */ SELECT id, qty, price, name, code FROM wide").ConfigureAwait(false);
                var ms = timer.Elapsed.TotalMilliseconds;
                if (count != rows)
                {
                    throw new InvalidOperationException($"The large result had {count} rows, not {rows}.");
                }

                bytes = received;
                if (round > 0)
                {
                    best = Math.Min(best, ms);
                }
            }

            var megabytesPerSecond = bytes / 1_000_000.0 / (best / 1_000);
            context.Report.Add(new Measurement(Group, "Flight SQL large result (DuckDB route, 5 columns)", rows, "MB/s",
                megabytesPerSecond,
                Note: $"{bytes / 1_000_000.0:0.0} MB of Arrow buffers in {best:0} ms (best of {(context.Quick ? 2 : 4)} after a warm-up), {rows / (best / 1_000):0} rows/s"));
        }
        finally
        {
            await app.StopAsync().ConfigureAwait(false);
        }
    }

    private static async Task SeedAsync(RheiDataSource dataSource, long rows)
    {
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            CREATE TABLE small(id INTEGER PRIMARY KEY, name TEXT);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
            INSERT INTO small SELECT i, 'name-' || i FROM n;
            CREATE TABLE wide(id INTEGER PRIMARY KEY, qty INTEGER, price REAL, name TEXT, code TEXT);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows})
            INSERT INTO wide SELECT i, i % 97, (i % 1000) * 0.25, 'name-' || (i % 10007), CASE WHEN i % 5 = 0 THEN NULL ELSE 'C' || (i % 31) END FROM n;
            """;
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        await connection.SyncAsync().ConfigureAwait(false);
    }

    /// <summary>GetFlightInfo, then DoGet of each endpoint: the rows and the bytes of Arrow buffers received.</summary>
    private static async Task<(long Rows, long Bytes)> QueryAsync(FlightClient client, string sql)
    {
        var descriptor = FlightDescriptor.CreateCommandDescriptor(Any.Pack(new CommandStatementQuery { Query = sql }).ToByteArray());
        var info = await client.GetInfo(descriptor).ResponseAsync.ConfigureAwait(false);
        long rows = 0, bytes = 0;
        foreach (var endpoint in info.Endpoints)
        {
            using var call = client.GetStream(endpoint.Ticket);
            while (await call.ResponseStream.MoveNext(CancellationToken.None).ConfigureAwait(false))
            {
                using var batch = call.ResponseStream.Current;
                rows += batch.Length;
                bytes += BufferBytes(batch);
            }
        }

        return (rows, bytes);
    }

    private static long BufferBytes(RecordBatch batch)
    {
        long total = 0;
        for (var i = 0; i < batch.ColumnCount; i++)
        {
            foreach (var buffer in batch.Column(i).Data.Buffers)
            {
                total += buffer.Length;
            }
        }

        return total;
    }
}
