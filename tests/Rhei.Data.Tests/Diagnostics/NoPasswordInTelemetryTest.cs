using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Rhei.Data.HealthChecks;

namespace Rhei.Data.Tests.Diagnostics;

/// <summary>
/// A password in the connection string never reaches a span (tags, status, events), a metric tag, a log line (message,
/// structured values, exception) or a health-check result, on a working engine and on one whose open fails.
/// </summary>
public sealed class NoPasswordInTelemetryTest
{
    private const string Password = "hunter2-s3cret";

    [Fact]
    public async Task Working_engine_with_a_password_in_its_connection_string_never_shows_it()
    {
        await using var db = TestDatabase.Create("Sync Interval=20");
        // The bundled SQLite has no encryption: the engine keeps the password in its options (as it would for an encrypted
        // build) while SQLite opens without it, so everything that can see the options runs.
        var options = RheiOptions.FromConnectionString(db.ConnectionString + ";Password=" + Password);
        Assert.Contains(Password, options.NormalizedConnectionString, StringComparison.Ordinal);
        var sqlite = new SqliteConnectionStringBuilder(options.SqliteConnectionString);
        sqlite.Remove("Password");
        options = options with { SqliteConnectionString = sqlite.ConnectionString };
        var logs = new CapturingLoggerProvider();
        using var capture = new TelemetryCapture(options.DiagnosticsName);
        await using (var dataSource = RheiDataSource.FromOptions(options, logs))
        {
            await using (var connection = await dataSource.OpenConnectionAsync())
            {
                foreach (var sql in new[]
                {
                    "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER)",
                    "INSERT INTO t VALUES (1, 1), (2, 2)",
                    "INSERT INTO t VALUES (3, 'not a number')",
                })
                {
                    await using var write = new RheiCommand(sql, connection);
                    await write.ExecuteNonQueryAsync();
                }

                await connection.SyncAsync();
                await using var analytical = new RheiCommand("SELECT count(*) FROM t", connection);
                Assert.Equal(3L, await analytical.ExecuteScalarAsync());
                await using var point = new RheiCommand("SELECT n FROM t WHERE id = 1", connection);
                Assert.Equal(1L, await point.ExecuteScalarAsync());
                await using var failing = new RheiCommand("SELECT * FROM missing", connection);
                await Assert.ThrowsAsync<RheiException>(() => failing.ExecuteScalarAsync());
            }

            capture.CollectGauges();
            var health = await CheckAsync(dataSource);
            Assert.Equal(HealthStatus.Degraded, health.Status);
            AssertNoPassword(health);
        }

        Assert.NotEmpty(capture.Spans());
        Assert.NotEmpty(logs.Entries);
        Assert.Contains(logs.Entries, e => e.EventId.Name == "TableQuarantined");
        AssertNoPassword(capture, logs);
    }

    [Fact]
    public async Task Engine_that_cannot_open_with_the_password_records_the_failure_without_it()
    {
        await using var db = TestDatabase.Create();
        await using var dataSource = RheiDataSource.Create(db.ConnectionString + ";Password=" + Password);
        using var capture = new TelemetryCapture(db.Path);

        await using var command = dataSource.CreateCommand("SELECT 1");
        var error = await Record.ExceptionAsync(() => command.ExecuteScalarAsync());
        var health = await CheckAsync(dataSource);

        Assert.NotNull(error);
        var span = Assert.Single(capture.Spans("SELECT"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        AssertNoPassword(health);
        AssertNoPassword(capture, new CapturingLoggerProvider());
    }

    private static Task<HealthCheckResult> CheckAsync(RheiDataSource dataSource)
    {
        var check = new RheiHealthCheck(dataSource);
        return check.CheckHealthAsync(new HealthCheckContext { Registration = new HealthCheckRegistration("rhei", check, null, null) });
    }

    private static void AssertNoPassword(HealthCheckResult result)
    {
        Assert.DoesNotContain(Password, result.Description ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, result.Exception?.ToString() ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, Flatten(result.Data), StringComparison.Ordinal);
    }

    private static void AssertNoPassword(TelemetryCapture capture, CapturingLoggerProvider logs)
    {
        foreach (var span in capture.Spans())
        {
            var text = string.Join(" ", span.TagObjects.Select(t => $"{t.Key}={t.Value}"))
                + span.StatusDescription
                + string.Join(" ", span.Events.SelectMany(e => e.Tags).Select(t => $"{t.Key}={t.Value}"));
            Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        }

        foreach (var measurement in capture.All)
        {
            Assert.DoesNotContain(Password, string.Join(" ", measurement.Tags.Select(t => $"{t.Key}={t.Value}")), StringComparison.Ordinal);
        }

        foreach (var entry in logs.Entries)
        {
            Assert.DoesNotContain(Password, entry.Everything, StringComparison.Ordinal);
        }
    }

    private static string Flatten(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        System.Collections.IDictionary d => string.Join(" ", d.Keys.Cast<object>().Select(k => $"{k}={Flatten(d[k])}")),
        IEnumerable<KeyValuePair<string, object>> pairs => string.Join(" ", pairs.Select(p => $"{p.Key}={Flatten(p.Value)}")),
        System.Collections.IEnumerable items => string.Join(" ", items.Cast<object?>().Select(Flatten)),
        _ => value.ToString() ?? string.Empty,
    };
}
