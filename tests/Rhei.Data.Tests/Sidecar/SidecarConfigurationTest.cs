namespace Rhei.Data.Tests.Sidecar;

/// <summary>Issue 13, items 1 and 5: the sidecar keys, bad configuration, and the source's password.</summary>
public sealed class SidecarConfigurationTest
{
    [Theory]
    [InlineData("Sidecar=Oracle", "Sidecar")]
    [InlineData("Sidecar=Sqlite", "Sidecar Source")]
    [InlineData("Sidecar=Sqlite;Sidecar Source=x.db;Sidecar Capture=LogicalReplication", "Sidecar Capture")]
    [InlineData("Sidecar=Sqlite;Sidecar Source=x.db;Sidecar Poll Batch Size=0", "Sidecar Poll Batch Size")]
    [InlineData("Sidecar=Sqlite;Sidecar Source=x.db;Delete Detection=SoftDelete", "Soft Delete Column")]
    [InlineData("Sidecar=Sqlite;Sidecar Source=x.db;Delete Detection=Sometimes", "Delete Detection")]
    [InlineData("Sidecar=Sqlite;Sidecar Source=x.db;Local Oltp=maybe", "Local Oltp")]
    [InlineData("Sidecar=Sqlite;Sidecar Source=x.db;Sidecar Tables=a,,b", "Sidecar Tables")]
    [InlineData("Sidecar=Sqlite;Sidecar Source=x.db;Olap=None", "Olap")]
    [InlineData("Sidecar Source=x.db", "Sidecar Source")]
    public void Bad_sidecar_key_fails_at_once_naming_the_key(string keys, string key)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => RheiDataSource.Create("Data Source=local.db;" + keys));
        Assert.Equal(key, error.ParamName);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_source_file_is_a_clear_error_and_no_file_is_created()
    {
        using var source = new SidecarSource(schema: null);
        await using var dataSource = RheiDataSource.Create(source.ConnectionString());
        var error = await Assert.ThrowsAsync<RheiException>(async () => await dataSource.OpenConnectionAsync());
        Assert.Contains(source.SourcePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(source.SourcePath));
    }

    [Fact]
    public async Task Table_without_key_is_refused_with_what_to_do_and_follow_table_names_its_key()
    {
        using var source = new SidecarSource("CREATE TABLE events (code TEXT NOT NULL, at INTEGER, updated_at INTEGER)");
        source.Execute("INSERT INTO events VALUES ('x', 1, 1)");
        var before = File.ReadAllBytes(source.SourcePath);
        await using (var refused = RheiDataSource.Create(source.ConnectionString("Sidecar Tables=events")))
        {
            var error = await Assert.ThrowsAsync<RheiException>(async () => await refused.OpenConnectionAsync());
            Assert.Contains("'events'", error.Message, StringComparison.Ordinal);
            Assert.Contains("FollowTable", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, File.ReadAllBytes(source.SourcePath));
        await using var dataSource = new RheiDataSourceBuilder(source.ConnectionString()).FollowTable("events", primaryKey: ["code"]).Build();
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal(("x|1", RheiRoute.Olap), SidecarSource.Query(connection, "SELECT code, at FROM events", RheiRoute.Olap));
    }

    [Fact]
    public async Task Listed_table_missing_at_the_source_or_without_updated_at_is_refused_naming_it()
    {
        using var source = new SidecarSource("CREATE TABLE plain (id INTEGER PRIMARY KEY, v TEXT)");
        await using (var missing = RheiDataSource.Create(source.ConnectionString("Sidecar Tables=nowhere")))
        {
            var error = await Assert.ThrowsAsync<RheiException>(async () => await missing.OpenConnectionAsync());
            Assert.Contains("'nowhere'", error.Message, StringComparison.Ordinal);
        }

        await using var noTimestamp = RheiDataSource.Create(source.ConnectionString("Sidecar Tables=plain"));
        var refused = await Assert.ThrowsAsync<RheiException>(async () => await noTimestamp.OpenConnectionAsync());
        Assert.Contains("'updated_at'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Updated At Column", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Source_password_never_shows_in_to_string_messages_status_or_logs()
    {
        const string Secret = "s3cr3t-Pa55";
        var cs = $"Data Source=local.db;Sidecar=PostgreSql;Sidecar Source='Host=db.internal;Username=rhei;Password={Secret};Database=app'";
        var builder = new RheiConnectionStringBuilder(cs);
        Assert.DoesNotContain(Secret, builder.ToString(), StringComparison.Ordinal);
        Assert.Contains("host=db.internal", builder.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(Secret, builder.ConnectionString, StringComparison.Ordinal);

        var logs = new CapturingLoggerFactory();
        await using var dataSource = new RheiDataSourceBuilder(cs).UseLoggerFactory(logs).Build();
        Assert.DoesNotContain(Secret, dataSource.ConnectionString, StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<RheiException>(async () => await dataSource.OpenConnectionAsync());
        Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
        // Nothing listens there: the PostgreSQL source's own error names the engine and the host, never the password.
        Assert.Contains("PostgreSQL", error.Message, StringComparison.Ordinal);
        Assert.Contains("db.internal", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, RheiOptions.FromConnectionString(cs).ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, RheiOptions.FromConnectionString(cs).Sidecar!.ToString(), StringComparison.Ordinal);
        Assert.All(logs.Lines, line => Assert.DoesNotContain(Secret, line, StringComparison.Ordinal));

        // A source that is not a well-formed connection string is cut at its password key.
        var malformed = new RheiConnectionStringBuilder { SidecarSource = $"Host=db;Password={Secret};Port='5432" };
        Assert.DoesNotContain(Secret, malformed.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sqlite_sidecar_status_and_logs_hold_no_password_of_the_local_file()
    {
        using var source = new SidecarSource();
        var logs = new CapturingLoggerFactory();
        await using var dataSource = new RheiDataSourceBuilder(source.ConnectionString()).UseLoggerFactory(logs).Build();
        await using var connection = await dataSource.OpenConnectionAsync();
        var status = await connection.GetSyncStatusAsync();
        Assert.Contains(status.Tables, t => t.Table == "users" && t.Capture == "Timestamp");
        Assert.NotEmpty(logs.Lines);
    }
}
