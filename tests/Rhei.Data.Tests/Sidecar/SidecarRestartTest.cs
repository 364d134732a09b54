namespace Rhei.Data.Tests.Sidecar;

/// <summary>
/// Issue 13, item 2: a durable mirror crashes at every step of a cycle (injected failures) and restarts; the mirror
/// then holds every source row exactly once (destructive) or every version exactly once (temporal).
/// </summary>
public sealed class SidecarRestartTest
{
    public static TheoryData<string, string> Steps()
    {
        var data = new TheoryData<string, string>();
        foreach (var mode in new[] { "Destructive", "Temporal" })
        {
            foreach (var step in new[] { "after-read", "apply", "after-commit", "after-acknowledge" })
            {
                data.Add(mode, step);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task Durable_mirror_restarted_after_a_crash_at_a_cycle_step_loses_nothing_and_doubles_nothing(string mode, string step)
    {
        using var source = new SidecarSource();
        source.Execute("INSERT INTO users VALUES (1, 'a', 10, 10), (2, 'b', 10, 10)");
        var cs = source.ConnectionString($"Sync Mode={mode};Sidecar Poll Batch Size=2;Sync Batch Size=2", durable: true);
        await using (var first = RheiDataSource.Create(cs))
        {
            await using var connection = await first.OpenConnectionAsync();
            source.Execute("INSERT INTO users VALUES (3, 'c', 20, 20), (4, 'd', 20, 20), (5, 'e', 30, 30)");
            source.Execute("UPDATE users SET name = 'a2', updated_at = 40 WHERE id = 1");
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
            engine.Sidecar.FaultInjector = null;
        }

        source.Execute("UPDATE users SET name = 'b2', updated_at = 50 WHERE id = 2");
        source.Execute("INSERT INTO users VALUES (6, 'f', 50, 50)");
        await using var second = RheiDataSource.Create(cs);
        await using var reopened = await second.OpenConnectionAsync();
        await reopened.SyncAsync();

        var expected = string.Join("; ", source.SourceRows("SELECT id, name FROM users ORDER BY id"));
        Assert.Equal((expected, RheiRoute.Olap), SidecarSource.Query(reopened, "SELECT id, name FROM users ORDER BY id", RheiRoute.Olap));
        if (mode == "Temporal")
        {
            // Ids 1 and 2 have two versions each (copied, then updated); the others one.
            Assert.Equal(("1|2; 2|2; 3|1; 4|1; 5|1; 6|1", RheiRoute.Olap), SidecarSource.Query(reopened, "SELECT id, count(*) FROM users FOR SYSTEM_TIME ALL GROUP BY id ORDER BY id"));
            Assert.Equal(("1|10|40; 1|40|NULL", RheiRoute.Olap), SidecarSource.Query(reopened, "SELECT id, _rhei_valid_from, _rhei_valid_to FROM users FOR SYSTEM_TIME ALL WHERE id = 1 ORDER BY _rhei_valid_from"));
        }
    }

    [Fact]
    public async Task Durable_mirror_resumes_from_its_stored_watermark_without_copying_again()
    {
        using var source = new SidecarSource();
        source.Execute("INSERT INTO users VALUES (1, 'a', 10, 10)");
        var cs = source.ConnectionString("Sync Mode=Temporal", durable: true);
        await using (var first = RheiDataSource.Create(cs))
        {
            await using var connection = await first.OpenConnectionAsync();
            source.Execute("UPDATE users SET name = 'a2', updated_at = 20 WHERE id = 1");
            await connection.SyncAsync();
        }

        await using var second = RheiDataSource.Create(cs);
        await using var reopened = await second.OpenConnectionAsync();
        // A copy would have started the history again at one version; resuming keeps both.
        Assert.Equal(("a|10; a2|20", RheiRoute.Olap), SidecarSource.Query(reopened, "SELECT name, _rhei_valid_from FROM users FOR SYSTEM_TIME ALL ORDER BY _rhei_valid_from"));
        Assert.Equal(0L, (await reopened.SyncAsync()).EventsProcessed);
    }
}
