using Rhei.Data.Testing;

namespace Rhei.Data.Tests.Sidecar.PostgreSql;

/// <summary>
/// The sidecar tests' PostgreSQL server: one <see cref="PostgreSqlServer"/> (the shared start/stop logic the benchmarks
/// use too) for the whole collection, started before the first test and removed after the last.
/// </summary>
public sealed class PostgreSqlServerFixture : IAsyncLifetime
{
    /// <summary>A role that may log in and own tables, without REPLICATION.</summary>
    internal const string PlainRole = PostgreSqlServer.PlainRole;

    /// <summary>The role with REPLICATION the sources connect as.</summary>
    internal const string ReplicationRole = PostgreSqlServer.ReplicationRole;

    private PostgreSqlServer? _server;

    /// <summary>The superuser's password (random per run).</summary>
    internal string SuperUserPassword => Server.SuperUserPassword;

    /// <summary>The REPLICATION role's password: a marker the password tests look for in every message.</summary>
    internal string ReplicationPassword => Server.ReplicationPassword;

    internal int Port => Server.Port;

    private PostgreSqlServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL server has not started.");

    public async Task InitializeAsync() => _server = await PostgreSqlServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>An Npgsql connection string to the server (no pooling, so a dropped database has no idle connection).</summary>
    internal string ConnectionString(string user, string password, string database) => Server.ConnectionString(user, password, database);

    /// <summary>The replication role's connection string to <paramref name="database"/>.</summary>
    internal string ReplicationConnectionString(string database) => Server.ReplicationConnectionString(database);

    /// <summary>A fresh database owned by the replication role, so each test has its own tables, publications and slots.</summary>
    internal Task<string> CreateDatabaseAsync(string prefix) => Server.CreateDatabaseAsync(prefix);

    /// <summary>Runs SQL on <paramref name="database"/> as the replication role (the tables' owner).</summary>
    internal Task ExecuteAsync(string database, string sql) => Server.ExecuteAsync(database, sql);

    /// <summary>Runs a scalar query on <paramref name="database"/> as the superuser (catalog checks).</summary>
    internal Task<object?> ScalarAsSuperUserAsync(string database, string sql) => Server.ScalarAsSuperUserAsync(database, sql);
}
