using Rhei.Data.Tests.Diagnostics;

namespace Rhei.Data.Tests.Sidecar.PostgreSql;

/// <summary>
/// The sidecar publishes its lag on the <c>Rhei.Data</c> meter as the local sync does: rows pending per table and
/// seconds behind (<c>rhei.sidecar.lag.events</c> / <c>.lag.time</c>), and for logical replication the slot's lag in
/// bytes (<c>rhei.sidecar.slot.lag</c>). A collection never waits for the source: it reports the last reading and asks
/// for a new one, so the tests collect until the reading arrives.
/// </summary>
[Collection(PostgreSqlServerCollection.Name)]
public sealed class PostgreSqlSidecarLagMetricsTest(PostgreSqlServerFixture server)
{
    [Fact]
    public async Task Timestamp_capture_publishes_rows_pending_per_table_and_seconds_behind_until_synced()
    {
        var database = await server.CreateDatabaseAsync("lag_ts");
        await server.ExecuteAsync(database, """
            CREATE TABLE orders (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now());
            CREATE TABLE users (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now());
            INSERT INTO orders (id) VALUES (1);
            """);
        using var sidecar = new PostgreSqlSidecar(server, database, "Timestamp");
        using var capture = new TelemetryCapture(sidecar.LocalPath);
        await using var dataSource = RheiDataSource.Create(sidecar.ConnectionString());
        await using var connection = await dataSource.OpenConnectionAsync();
        await sidecar.ExecuteAsync("INSERT INTO orders (id) SELECT g FROM generate_series(2, 6) g");
        await Task.Delay(50);

        var pending = await CollectUntilAsync(capture, "rhei.sidecar.lag.events", m => m.Any(x => Equals(x.Tag("db.collection.name"), "orders") && x.Value == 5)
            && capture.Measurements("rhei.sidecar.lag.time").Any(x => x.Value > 0));
        Assert.Equal(0, Assert.Single(pending, m => Equals(m.Tag("db.collection.name"), "users")).Value);
        Assert.All(pending, m => Assert.Equal("{event}", m.Unit));
        var behind = Assert.Single(capture.Measurements("rhei.sidecar.lag.time"), m => Equals(m.Tag("db.collection.name"), "orders") && m.Value > 0);
        Assert.Equal("s", behind.Unit);
        Assert.Empty(capture.Measurements("rhei.sidecar.slot.lag"));

        await connection.SyncAsync();
        await CollectUntilAsync(capture, "rhei.sidecar.lag.events", m => m.Count == 2 && m.All(x => x.Value == 0));
        Assert.All(capture.Measurements("rhei.sidecar.lag.time"), m => Assert.Equal(0, m.Value));
    }

    [Fact]
    public async Task Logical_replication_publishes_the_slot_lag_in_bytes_and_seconds_until_the_mirror_confirms()
    {
        var database = await server.CreateDatabaseAsync("lag_lr");
        await server.ExecuteAsync(database, "CREATE TABLE t (id int PRIMARY KEY, v text)");
        using var sidecar = new PostgreSqlSidecar(server, database, "LogicalReplication");
        using var capture = new TelemetryCapture(sidecar.LocalPath);
        await using var dataSource = RheiDataSource.Create(sidecar.ConnectionString());
        await using var connection = await dataSource.OpenConnectionAsync();
        await sidecar.ExecuteAsync("INSERT INTO t SELECT g, repeat('x', 200) FROM generate_series(1, 2000) g");

        // One collection may read the lag gauges before a refresh and the slot gauge after it: wait for both.
        var behind = await CollectUntilAsync(capture, "rhei.sidecar.slot.lag", m => m.Any(x => x.Value > 100_000)
            && capture.Measurements("rhei.sidecar.lag.time").Any(x => x.Value > 0));
        var slot = Assert.Single(behind);
        Assert.Equal(("By", database), (slot.Unit, slot.Tag("rhei.sidecar.slot")));
        var time = Assert.Single(capture.Measurements("rhei.sidecar.lag.time"));
        Assert.False(time.Tags.ContainsKey("db.collection.name"));
        Assert.Equal(0, Assert.Single(capture.Measurements("rhei.sidecar.lag.events")).Value);

        await connection.SyncAsync();
        // Confirmed through the sync's fence: what is left is WAL written after it (the server's own records).
        await CollectUntilAsync(capture, "rhei.sidecar.slot.lag", m => m.Count == 1 && m[0].Value < 10_000);
        Assert.All(capture.All, m => Assert.All(m.Tags.Values, v => Assert.DoesNotContain(server.ReplicationPassword, Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "", StringComparison.Ordinal)));
    }

    /// <summary>Collects the gauges until a collection's measurements of <paramref name="instrument"/> satisfy <paramref name="done"/>.</summary>
    private static async Task<IReadOnlyList<CapturedMeasurement>> CollectUntilAsync(TelemetryCapture capture, string instrument, Func<IReadOnlyList<CapturedMeasurement>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            capture.Clear();
            capture.CollectGauges();
            var measurements = capture.Measurements(instrument);
            if (done(measurements))
            {
                return measurements;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{instrument} never showed the expected reading; last: {string.Join(", ", measurements.Select(m => m.Value))}");
            await Task.Delay(200);
        }
    }
}
