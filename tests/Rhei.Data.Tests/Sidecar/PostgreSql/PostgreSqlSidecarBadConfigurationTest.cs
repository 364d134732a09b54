using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Rhei.Data.Tests.Sidecar.PostgreSql;

/// <summary>
/// Configurations that cannot work, through the connection string as an application writes it: opening the data source
/// fails with a <see cref="RheiException"/> from PostgreSQL that says what is wrong (and, where it can, what to run),
/// shows no password, and creates no slot or publication on the server.
/// </summary>
[Collection(PostgreSqlServerCollection.Name)]
public sealed class PostgreSqlSidecarBadConfigurationTest(PostgreSqlServerFixture server)
{
    [Theory]
    [InlineData("Timestamp")]
    [InlineData("LogicalReplication")]
    public async Task Unreachable_server_fails_the_open_naming_the_host_without_the_password(string capture)
    {
        int closedPort;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var unreachable = new NpgsqlConnectionStringBuilder(server.ReplicationConnectionString("postgres")) { Port = closedPort, Timeout = 3 }.ConnectionString;
        var error = await OpenFailsAsync(capture, "cfg_e2e_unreachable", "CREATE TABLE t (id int PRIMARY KEY, updated_at timestamptz NOT NULL)", unreachable);
        Assert.Contains($"127.0.0.1:{closedPort}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_publication_rights_fail_the_open_with_the_statement_for_the_owner()
    {
        var error = await OpenFailsAsync("LogicalReplication", "cfg_e2e_nopub", "", null, superUserSchema: "CREATE TABLE owned_by_postgres (id int PRIMARY KEY); GRANT SELECT ON owned_by_postgres TO " + PostgreSqlServerFixture.ReplicationRole);
        Assert.Contains("owned_by_postgres", error.Message, StringComparison.Ordinal);
        Assert.Contains("CREATE PUBLICATION", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Timestamp")]
    [InlineData("LogicalReplication")]
    public async Task Table_without_a_key_fails_the_open_saying_what_to_do(string capture)
    {
        var error = await OpenFailsAsync(capture, "cfg_e2e_nokey", "CREATE TABLE keyless (a int, updated_at timestamptz NOT NULL)", null, "Sidecar Tables=keyless");
        Assert.Contains("keyless", error.Message, StringComparison.Ordinal);
        Assert.Contains("key", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Timestamp")]
    [InlineData("LogicalReplication")]
    public async Task Unknown_table_fails_the_open_naming_it(string capture)
    {
        var error = await OpenFailsAsync(capture, "cfg_e2e_unknown", "CREATE TABLE t (id int PRIMARY KEY, updated_at timestamptz NOT NULL)", null, "Sidecar Tables=t,no_such_table");
        Assert.Contains("no_such_table", error.Message, StringComparison.Ordinal);
    }

    private async Task<RheiException> OpenFailsAsync(string capture, string prefix, string schema, string? sourceOverride, string extra = "", string? superUserSchema = null)
    {
        var database = await server.CreateDatabaseAsync(prefix + "_" + capture.ToLowerInvariant());
        if (schema.Length > 0)
        {
            await server.ExecuteAsync(database, schema);
        }

        if (superUserSchema is not null)
        {
            await server.ScalarAsSuperUserAsync(database, superUserSchema);
        }

        using var sidecar = new PostgreSqlSidecar(server, database, capture);
        var cs = sidecar.ConnectionString(extra, durable: true);
        if (sourceOverride is not null)
        {
            cs = cs.Replace(sidecar.SourceConnectionString, sourceOverride, StringComparison.Ordinal);
        }

        await using var dataSource = RheiDataSource.Create(cs);
        var error = await Assert.ThrowsAsync<RheiException>(async () => await dataSource.OpenConnectionAsync());

        Assert.Equal("PostgreSQL", error.Engine);
        Assert.DoesNotContain(server.ReplicationPassword, error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0L, await server.ScalarAsSuperUserAsync(database, $"SELECT (SELECT count(*) FROM pg_replication_slots WHERE slot_name = '{database}') + (SELECT count(*) FROM pg_publication WHERE pubname = '{database}')"));
        return error;
    }
}
