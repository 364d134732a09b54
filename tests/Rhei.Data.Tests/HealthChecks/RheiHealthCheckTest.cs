using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rhei.Data.HealthChecks;
using Rhei.Data.Olap;

namespace Rhei.Data.Tests.HealthChecks;

/// <summary>
/// The Rhei health check on a real data source: Healthy when the mirror is current, Degraded for lag, staleness or a
/// quarantined table, Unhealthy when the mirror cannot take changes, cycles keep failing or the loop stopped; the
/// result's data carries the lag and the tables.
/// </summary>
public sealed class RheiHealthCheckTest
{
    private static Task<HealthCheckResult> CheckAsync(RheiDataSource dataSource, Action<RheiHealthCheckOptions>? configure = null)
    {
        var options = new RheiHealthCheckOptions();
        configure?.Invoke(options);
        var check = new RheiHealthCheck(dataSource, options);
        return check.CheckHealthAsync(new HealthCheckContext { Registration = new HealthCheckRegistration("rhei", check, null, null) });
    }

    private static async Task<TestDatabase> SeededAsync(string extra = "Sync Interval=0")
    {
        var db = TestDatabase.Create(extra);
        db.Execute("CREATE TABLE items (id INTEGER PRIMARY KEY, n INTEGER)");
        db.Execute("INSERT INTO items VALUES (1, 10), (2, 20)");
        await using var connection = db.Open();
        await connection.SyncAsync();
        return db;
    }

    [Fact]
    public async Task Current_mirror_is_Healthy_with_the_lag_and_the_tables_in_the_data()
    {
        await using var db = await SeededAsync();

        var result = await CheckAsync(db.DataSource);

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal(0L, result.Data["lag"]);
        Assert.Equal(0, result.Data["consecutive_sync_failures"]);
        Assert.Equal("test.db", result.Data["data_source"]);
        var tables = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object>>(result.Data["tables"]);
        var items = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(tables["items"]);
        Assert.Equal(("Active", 2L), (items["state"], items["rows"]));
    }

    [Fact]
    public async Task Lag_over_the_threshold_is_Degraded_and_a_sync_makes_it_Healthy_again()
    {
        await using var db = await SeededAsync();
        db.Execute("INSERT INTO items VALUES (3, 30), (4, 40), (5, 50)");

        var lagging = await CheckAsync(db.DataSource, o => o.MaxLag = 2);
        var tolerated = await CheckAsync(db.DataSource, o => o.MaxLag = 3);

        Assert.Equal(HealthStatus.Degraded, lagging.Status);
        Assert.Contains("3 change events behind", lagging.Description, StringComparison.Ordinal);
        Assert.Equal(3L, lagging.Data["lag"]);
        Assert.Equal(HealthStatus.Healthy, tolerated.Status);

        await using (var connection = db.Open())
        {
            await connection.SyncAsync();
        }

        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(db.DataSource, o => o.MaxLag = 2)).Status);
    }

    [Fact]
    public async Task Mirror_behind_for_longer_than_the_bound_is_Degraded()
    {
        await using var db = await SeededAsync();
        db.Execute("INSERT INTO items VALUES (3, 30)");
        await Task.Delay(50);

        var result = await CheckAsync(db.DataSource, o => o.MaxStaleness = TimeSpan.FromMilliseconds(10));

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("behind for", result.Description, StringComparison.Ordinal);
        Assert.True((double)result.Data["staleness_seconds"] >= 0.05);
    }

    [Fact]
    public async Task Quarantined_table_is_Degraded_and_named()
    {
        await using var db = await SeededAsync();
        db.Execute("INSERT INTO items VALUES (3, 'abc')");
        await using (var connection = db.Open())
        {
            await connection.SyncAsync();
        }

        var result = await CheckAsync(db.DataSource);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("quarantined (reads on SQLite): items", result.Description, StringComparison.Ordinal);
        Assert.Equal(["items"], Assert.IsType<string[]>(result.Data["quarantined_tables"]));
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(db.DataSource, o => o.DegradedWhenQuarantined = false)).Status);
    }

    [Fact]
    public async Task Mirror_that_cannot_take_changes_is_Unhealthy()
    {
        await using var db = await SeededAsync();
        var engine = await db.DataSource.GetEngineAsync(CancellationToken.None);
        engine.Replication!.ApplyFaultInjector = _ => throw new DuckDbException("IO Error: Could not write file \"mirror.duckdb.wal\": No space left on device", 28);
        db.Execute("INSERT INTO items VALUES (3, 30)");
        await using (var connection = db.Open())
        {
            await Assert.ThrowsAsync<RheiException>(() => connection.SyncAsync());
        }

        var result = await CheckAsync(db.DataSource);
        engine.Replication!.ApplyFaultInjector = null;

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("cannot take changes", result.Description, StringComparison.Ordinal);
        Assert.Contains("No space left on device", (string)result.Data["mirror_unavailable_reason"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_cycles_failing_in_a_row_are_Unhealthy_from_the_threshold_on()
    {
        await using var db = await SeededAsync();
        var engine = await db.DataSource.GetEngineAsync(CancellationToken.None);
        // A failure that is neither a mirror fault nor a misfit: the cycle fails and nothing else changes.
        // It fires after each apply, so every cycle gets a new change to apply.
        engine.Replication!.FaultInjector = point => throw new InvalidOperationException("injected at " + point);
        await using var connection = db.Open();
        for (var i = 3; i <= 4; i++)
        {
            db.Execute($"INSERT INTO items VALUES ({i}, 0)");
            await Assert.ThrowsAnyAsync<Exception>(() => connection.SyncAsync());
        }

        var two = await CheckAsync(db.DataSource, o => o.MaxConsecutiveSyncFailures = 3);
        db.Execute("INSERT INTO items VALUES (5, 0)");
        await Assert.ThrowsAnyAsync<Exception>(() => connection.SyncAsync());
        var three = await CheckAsync(db.DataSource, o => o.MaxConsecutiveSyncFailures = 3);
        engine.Replication!.FaultInjector = null;

        Assert.NotEqual(HealthStatus.Unhealthy, two.Status);
        Assert.Equal(HealthStatus.Unhealthy, three.Status);
        Assert.Contains("last 3 sync cycles failed", three.Description, StringComparison.Ordinal);
        Assert.Equal(3, three.Data["consecutive_sync_failures"]);

        await connection.SyncAsync();
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(db.DataSource)).Status);
    }

    [Fact]
    public async Task Stopped_background_loop_is_Unhealthy_when_a_Sync_Interval_asks_for_one()
    {
        await using var db = await SeededAsync("Sync Interval=50");
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(db.DataSource)).Status);

        await using (var connection = db.Open())
        {
            await connection.StopSyncAsync();
        }

        var result = await CheckAsync(db.DataSource);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("background sync loop is not running", result.Description, StringComparison.Ordinal);
        Assert.Equal(false, result.Data["background_sync_running"]);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(db.DataSource, o => o.RequireBackgroundSync = false)).Status);
    }

    [Fact]
    public async Task Data_source_without_a_mirror_is_Healthy()
    {
        await using var db = TestDatabase.Create("Olap=None");

        var result = await CheckAsync(db.DataSource);

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Contains("Olap=None", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddRhei_registers_a_check_the_health_check_service_runs_on_the_containers_data_source()
    {
        await using var db = await SeededAsync();
        var services = new ServiceCollection();
        services.AddSingleton(db.DataSource);
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddHealthChecks().AddRhei(o => o.MaxLag = 0, name: "mirror", tags: ["ready"]);
        db.Execute("INSERT INTO items VALUES (3, 30)");
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var entry = Assert.Single(report.Entries);
        Assert.Equal("mirror", entry.Key);
        Assert.Equal(HealthStatus.Degraded, entry.Value.Status);
        Assert.Equal(["ready"], entry.Value.Tags);
        Assert.Equal(1L, entry.Value.Data["lag"]);
    }
}
