namespace Rhei.Data.Tests.Sidecar.PostgreSql;

/// <summary>
/// Issue 13: a durable mirror of a PostgreSQL source crashes at every step of a cycle (injected failures) and restarts,
/// for both capture modes. For logical replication the steps are: after the read, after the apply before its commit,
/// after the commit before the slot's flush is confirmed, and after the confirmation. The mirror then equals the source
/// with no key doubled (every version once, in temporal mode), and the slot's confirmed flush position never passed
/// what the mirror had committed.
/// </summary>
[Collection(PostgreSqlServerCollection.Name)]
public sealed class PostgreSqlSidecarRestartTest(PostgreSqlServerFixture server)
{
    public static TheoryData<string, string, string> Steps()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var capture in new[] { "Timestamp", "LogicalReplication" })
        {
            foreach (var mode in new[] { "Destructive", "Temporal" })
            {
                foreach (var step in new[] { "after-read", "apply", "after-commit", "after-acknowledge" })
                {
                    data.Add(capture, mode, step);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task Durable_mirror_of_PostgreSQL_restarted_after_a_crash_at_a_cycle_step_loses_nothing_and_doubles_nothing(string capture, string mode, string step)
    {
        var database = await server.CreateDatabaseAsync($"restart_{(capture == "Timestamp" ? "ts" : "lr")}_{mode[..4].ToLowerInvariant()}_{step.Replace("-", "", StringComparison.Ordinal)}");
        await server.ExecuteAsync(database, """
            CREATE TABLE users (id int PRIMARY KEY, name text NOT NULL, updated_at timestamptz NOT NULL);
            INSERT INTO users VALUES (1, 'a', '2026-01-01 00:00:10+00'), (2, 'b', '2026-01-01 00:00:10+00');
            """);
        using var sidecar = new PostgreSqlSidecar(server, database, capture);
        var cs = sidecar.ConnectionString($"Sync Mode={mode};Sidecar Poll Batch Size=2;Sync Batch Size=2", durable: true);
        await using (var first = RheiDataSource.Create(cs))
        {
            await using var connection = await first.OpenConnectionAsync();
            // Three transactions, so logical replication has batch boundaries too: (3, 4), (5), (update 1).
            await sidecar.ExecuteAsync("INSERT INTO users VALUES (3, 'c', '2026-01-01 00:00:20+00'), (4, 'd', '2026-01-01 00:00:20+00')");
            await sidecar.ExecuteAsync("INSERT INTO users VALUES (5, 'e', '2026-01-01 00:00:30+00')");
            await sidecar.ExecuteAsync("UPDATE users SET name = 'a2', updated_at = '2026-01-01 00:00:40+00' WHERE id = 1");
            var engine = await first.GetEngineAsync(CancellationToken.None);
            var crashes = 0;
            engine.Sidecar!.FaultInjector = at =>
            {
                // The second batch crashes: the first one is committed, the rest is not.
                if (at == step && ++crashes == 2)
                {
                    throw new IOException($"simulated crash at {at}");
                }
            };
            await Assert.ThrowsAnyAsync<Exception>(() => connection.SyncAsync());
            Assert.Equal(2, crashes);
            engine.Sidecar.FaultInjector = null;
            if (capture == "LogicalReplication")
            {
                // Status updates go out every second: give one the time to carry anything it should not.
                await Task.Delay(1500);
                Assert.True(await sidecar.SlotConfirmedAtOrBeforeAsync(engine.Sidecar.Applied.Value), $"the slot was confirmed past the mirror's {engine.Sidecar.Applied} after a crash at {step}");
            }
        }

        await sidecar.ExecuteAsync("UPDATE users SET name = 'b2', updated_at = '2026-01-01 00:00:50+00' WHERE id = 2");
        await sidecar.ExecuteAsync("INSERT INTO users VALUES (6, 'f', '2026-01-01 00:00:50+00')");
        await using var second = RheiDataSource.Create(cs);
        await using var reopened = await second.OpenConnectionAsync();
        await reopened.SyncAsync();

        var expected = await sidecar.SourceRowsAsync("SELECT id, name FROM users ORDER BY id");
        Assert.Equal("1|a2; 2|b2; 3|c; 4|d; 5|e; 6|f", expected);
        var current = mode == "Temporal" ? " WHERE _rhei_valid_to IS NULL" : "";
        Assert.Equal((expected, RheiRoute.Olap), SidecarSource.Query(reopened, $"SELECT id, name FROM users{current} ORDER BY id", RheiRoute.Olap));
        // No key twice among the current rows, and (temporal) every version once: ids 1 and 2 were copied, then updated.
        Assert.Equal(("", RheiRoute.Olap), SidecarSource.Query(reopened, $"SELECT id FROM users{current} GROUP BY id HAVING count(*) > 1", RheiRoute.Olap));
        if (mode == "Temporal")
        {
            Assert.Equal(("1|2; 2|2; 3|1; 4|1; 5|1; 6|1", RheiRoute.Olap), SidecarSource.Query(reopened, "SELECT id, count(*) FROM users GROUP BY id ORDER BY id", RheiRoute.Olap));
        }

        if (capture == "LogicalReplication")
        {
            var engine = await second.GetEngineAsync(CancellationToken.None);
            Assert.True(await sidecar.SlotConfirmedAtOrBeforeAsync(engine.Sidecar!.Applied.Value));
        }
    }
}
