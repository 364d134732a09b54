using System.Diagnostics;
using Grpc.Core;

namespace Rhei.Data.FlightSql.Tests;

/// <summary>Cancellation of a running stream and several clients at once.</summary>
public sealed class StreamingTest
{
    [Fact]
    public async Task Cancelling_the_stream_interrupts_the_query_on_the_server()
    {
        await using var server = await FlightSqlTestServer.StartAsync();
        using var client = server.CreateClient();
        using var cancel = new CancellationTokenSource();

        // Never finishes by itself: only an interrupt ends it.
        var endless = client.QueryAsync("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) AS n FROM c", cancel.Token);
        await WaitUntilAsync(() => server.Server.RunningStatements == 1, TimeSpan.FromSeconds(20));
        cancel.CancelAfter(TimeSpan.FromMilliseconds(200));

        var cancelled = await Assert.ThrowsAsync<RpcException>(() => endless);
        Assert.Equal(StatusCode.Cancelled, cancelled.StatusCode);
        await WaitUntilAsync(() => server.Server.RunningStatements == 0, TimeSpan.FromSeconds(20));

        Assert.Equal([4L], (await client.QueryAsync("SELECT count(*) AS n FROM orders")).Column("n"));
    }

    [Fact]
    public async Task Eight_clients_at_once_each_get_their_own_answers_on_both_engines()
    {
        await using var server = await FlightSqlTestServer.StartAsync();

        var clients = Enumerable.Range(0, 8).Select(async n =>
        {
            using var client = server.CreateClient();
            for (var i = 0; i < 10; i++)
            {
                var id = (n + i) % 4 + 1;
                var lookup = await client.QueryAsync($"SELECT id FROM orders WHERE id = {id}");
                Assert.Equal([(long)id], lookup.Column("id"));
                var aggregate = await client.QueryAsync($"SELECT count(*) AS n, {n} AS client FROM orders GROUP BY customer ORDER BY n DESC LIMIT 1");
                Assert.Equal("duckdb", aggregate.Route);
                Assert.Equal([2L], aggregate.Column("n"));
                Assert.Equal([(long)n], aggregate.Column("client"));
            }
        });

        await Task.WhenAll(clients);
        Assert.Equal(0, server.Server.RunningStatements);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < timeout, $"The condition did not hold within {timeout.TotalSeconds} s.");
            await Task.Delay(20);
        }
    }
}
