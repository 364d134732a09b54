using System.Net;
using System.Net.Sockets;
using Npgsql;
using Rhei.Data.Sidecar;
using Rhei.Data.Sidecar.PostgreSql;

namespace Rhei.Data.Tests.Sidecar.PostgreSql;

/// <summary>Configurations that cannot work get a clear RheiException naming PostgreSQL, create nothing, and never show the password.</summary>
[Collection(PostgreSqlServerCollection.Name)]
public sealed class PostgreSqlSourceConfigurationTest(PostgreSqlServerFixture server)
{
    public static TheoryData<string> Captures => ["Timestamp", "LogicalReplication"];

    private static ISidecarSource Source(string capture) => capture == "Timestamp" ? new PostgreSqlTimestampSource() : new PostgreSqlLogicalReplicationSource();

    private void AssertNoPassword(Exception ex, ISidecarSource source)
    {
        foreach (var text in new[] { ex.Message, ex.ToString(), source.Kind, source.ToString() ?? "" })
        {
            Assert.DoesNotContain(server.ReplicationPassword, text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public async Task Unreachable_server_is_a_PostgreSQL_error_naming_the_setting_without_the_password(string capture)
    {
        int closedPort;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var connectionString = new NpgsqlConnectionStringBuilder(server.ReplicationConnectionString("postgres")) { Port = closedPort, Timeout = 3 }.ConnectionString;
        await using var source = Source(capture);
        var ex = await Assert.ThrowsAsync<RheiException>(() => source.OpenAsync(SidecarTestSettings.For(connectionString), CancellationToken.None));

        Assert.Equal("PostgreSQL", ex.Engine);
        Assert.Contains("Sidecar Source", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{closedPort}", ex.Message, StringComparison.Ordinal);
        AssertNoPassword(ex, source);
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public async Task Wrong_password_is_refused_by_the_server_and_neither_password_is_shown(string capture)
    {
        var wrong = "Wrong-Pw-" + Guid.NewGuid().ToString("N");
        var connectionString = new NpgsqlConnectionStringBuilder(server.ReplicationConnectionString("postgres")) { Password = wrong }.ConnectionString;
        await using var source = Source(capture);
        var ex = await Assert.ThrowsAsync<RheiException>(() => source.OpenAsync(SidecarTestSettings.For(connectionString), CancellationToken.None));

        Assert.Equal("PostgreSQL", ex.Engine);
        Assert.Contains("28P01", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, ex.ToString(), StringComparison.Ordinal);
        AssertNoPassword(ex, source);
    }

    [Fact]
    public async Task Connection_string_that_does_not_parse_names_the_setting_and_not_its_text()
    {
        await using var source = new PostgreSqlLogicalReplicationSource();
        var ex = await Assert.ThrowsAsync<RheiException>(() => source.OpenAsync(
            SidecarTestSettings.For($"Host=127.0.0.1;Password={server.ReplicationPassword};No Such Key=1"), CancellationToken.None));
        Assert.Contains("Sidecar Source is not a valid Npgsql connection string", ex.Message, StringComparison.Ordinal);
        AssertNoPassword(ex, source);
    }

    [Fact]
    public async Task Role_without_REPLICATION_is_refused_with_what_to_run_and_nothing_is_created()
    {
        var database = await server.CreateDatabaseAsync("cfg_norepl");
        await server.ExecuteAsync(database, $"CREATE TABLE t (id int PRIMARY KEY); GRANT ALL ON t TO {PostgreSqlServerFixture.PlainRole}");
        var connectionString = server.ConnectionString(PostgreSqlServerFixture.PlainRole, server.ReplicationPassword, database);
        await using var source = new PostgreSqlLogicalReplicationSource();
        var ex = await Assert.ThrowsAsync<RheiException>(() => source.OpenAsync(SidecarTestSettings.For(connectionString) with { ReplicationName = database }, CancellationToken.None));

        Assert.Equal("PostgreSQL", ex.Engine);
        Assert.Contains($"ALTER ROLE \"{PostgreSqlServerFixture.PlainRole}\" REPLICATION", ex.Message, StringComparison.Ordinal);
        await AssertNothingCreatedAsync(database);
        AssertNoPassword(ex, source);
    }

    [Fact]
    public async Task Role_that_may_not_publish_a_table_is_refused_with_the_statement_for_its_owner_and_nothing_is_created()
    {
        var database = await server.CreateDatabaseAsync("cfg_nopub");
        await server.ScalarAsSuperUserAsync(database, $"CREATE TABLE owned_by_postgres (id int PRIMARY KEY); GRANT SELECT ON owned_by_postgres TO {PostgreSqlServerFixture.ReplicationRole}");
        await using var source = new PostgreSqlLogicalReplicationSource();
        var ex = await Assert.ThrowsAsync<RheiException>(() => source.OpenAsync(SidecarTestSettings.For(server.ReplicationConnectionString(database)) with { ReplicationName = database }, CancellationToken.None));

        Assert.Contains("owned_by_postgres", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"CREATE PUBLICATION \"{database}\" FOR TABLE \"public\".\"owned_by_postgres\"", ex.Message, StringComparison.Ordinal);
        await AssertNothingCreatedAsync(database);
    }

    [Fact]
    public async Task Table_without_a_key_is_refused_with_the_ALTER_TABLE_to_run_and_nothing_is_created()
    {
        var database = await server.CreateDatabaseAsync("cfg_nokey");
        await server.ExecuteAsync(database, "CREATE TABLE keyless (a int, b text)");
        await using var source = new PostgreSqlLogicalReplicationSource();
        var ex = await Assert.ThrowsAsync<RheiException>(() => source.OpenAsync(SidecarTestSettings.For(server.ReplicationConnectionString(database), "keyless") with { ReplicationName = database }, CancellationToken.None));

        Assert.Equal("PostgreSQL", ex.Engine);
        Assert.Contains("keyless has no primary key", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ALTER TABLE \"public\".\"keyless\" REPLICA IDENTITY FULL", ex.Message, StringComparison.Ordinal);
        await AssertNothingCreatedAsync(database);
    }

    [Fact]
    public async Task Table_with_replica_identity_nothing_is_refused_with_the_ALTER_TABLE_to_run()
    {
        var database = await server.CreateDatabaseAsync("cfg_identity");
        await server.ExecuteAsync(database, "CREATE TABLE t (id int PRIMARY KEY); ALTER TABLE t REPLICA IDENTITY NOTHING");
        await using var source = new PostgreSqlLogicalReplicationSource();
        var ex = await Assert.ThrowsAsync<RheiException>(() => source.OpenAsync(SidecarTestSettings.For(server.ReplicationConnectionString(database)) with { ReplicationName = database }, CancellationToken.None));

        Assert.Contains("ALTER TABLE \"public\".\"t\" REPLICA IDENTITY DEFAULT", ex.Message, StringComparison.Ordinal);
        await AssertNothingCreatedAsync(database);
    }

    [Fact]
    public async Task Keyless_table_with_its_key_named_in_settings_and_replica_identity_full_is_followed()
    {
        var database = await server.CreateDatabaseAsync("cfg_fullid");
        await server.ExecuteAsync(database, "CREATE TABLE k (code text NOT NULL, v int); ALTER TABLE k REPLICA IDENTITY FULL");
        await using var source = new PostgreSqlLogicalReplicationSource();
        var settings = SidecarTestSettings.For(server.ReplicationConnectionString(database), "k") with
        {
            ReplicationName = database,
            TableSettings = new Dictionary<string, SidecarTableSettings> { ["k"] = new(null, ["code"], null, null) },
        };
        var tables = await source.OpenAsync(settings, CancellationToken.None);
        var consumer = new ReplicationConsumer(source, await source.CopyAsync(tables, new RecordingRowSink(), null, CancellationToken.None));
        await server.ExecuteAsync(database, "INSERT INTO k VALUES ('a', 1); DELETE FROM k WHERE code = 'a'");
        await consumer.UntilAsync(c => c.Changes.Count >= 2);

        Assert.Equal([(SidecarChangeKind.Upsert, "a"), (SidecarChangeKind.Delete, "a")], consumer.Changes.Select(c => (c.Kind, (string)c.Key[0]!)));
    }

    [Fact]
    public async Task Unknown_table_in_Sidecar_Tables_is_refused_by_name()
    {
        var database = await server.CreateDatabaseAsync("cfg_unknown");
        await using var source = new PostgreSqlTimestampSource();
        var ex = await Assert.ThrowsAsync<RheiException>(() => source.OpenAsync(SidecarTestSettings.For(server.ReplicationConnectionString(database), "nope"), CancellationToken.None));
        Assert.Contains("Sidecar Tables names 'nope'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_and_sources_print_without_the_password()
    {
        var settings = SidecarTestSettings.For(server.ReplicationConnectionString("postgres"));
        Assert.DoesNotContain(server.ReplicationPassword, settings.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(server.ReplicationPassword, new PostgreSqlConnector(settings.Source).Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Database_with_no_table_to_follow_yet_gets_an_empty_publication_and_a_stream_that_starts()
    {
        var database = await server.CreateDatabaseAsync("cfg_empty");
        await using var source = new PostgreSqlLogicalReplicationSource();
        var tables = await source.OpenAsync(SidecarTestSettings.For(server.ReplicationConnectionString(database)) with { ReplicationName = database }, CancellationToken.None);
        Assert.Empty(tables);
        var position = await source.CopyAsync(tables, new RecordingRowSink(), null, CancellationToken.None);

        var batch = await source.ReadAsync(position, 100, CancellationToken.None);
        Assert.Empty(batch.Changes);
        Assert.Equal(1L, await server.ScalarAsSuperUserAsync(database, $"SELECT count(*) FROM pg_publication WHERE pubname = '{database}'"));
    }

    private async Task AssertNothingCreatedAsync(string database)
    {
        Assert.Equal(0L, await server.ScalarAsSuperUserAsync(database, $"SELECT count(*) FROM pg_replication_slots WHERE slot_name = '{database}'"));
        Assert.Equal(0L, await server.ScalarAsSuperUserAsync(database, "SELECT count(*) FROM pg_publication"));
    }
}
