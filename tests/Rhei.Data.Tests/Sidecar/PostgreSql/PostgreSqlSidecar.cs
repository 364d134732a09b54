using Npgsql;

namespace Rhei.Data.Tests.Sidecar.PostgreSql;

/// <summary>
/// One test's followed PostgreSQL database (on the shared server) and a temporary folder for Rhei's local file and
/// mirror; builds sidecar connection strings over it (slot and publication named after the database) and reads the
/// source through its own Npgsql connection, as the application would. The folder is removed on dispose.
/// </summary>
internal sealed class PostgreSqlSidecar(PostgreSqlServerFixture server, string database, string capture) : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("rhei-pg-sidecar-").FullName;

    public string Database => database;

    /// <summary>Rhei's local file (its <c>Data Source</c>), also the data source's diagnostics name.</summary>
    public string LocalPath => Path.Combine(Directory, "local.db");

    public string SourceConnectionString => server.ReplicationConnectionString(database);

    /// <summary>A sidecar connection string; no background loop, so each test decides when cycles run.</summary>
    public string ConnectionString(string extra = "", bool durable = false)
        => $"Data Source={LocalPath};Olap=DuckDb;Sidecar=PostgreSql;Sidecar Capture={capture};Sidecar Replication Name={database};"
            + $"Sidecar Source=\"{SourceConnectionString}\";Sync Interval=0"
            + (durable ? $";Olap Path={Path.Combine(Directory, "mirror.duckdb")}" : string.Empty)
            + (extra.Length > 0 ? ";" + extra : string.Empty);

    public Task ExecuteAsync(string sql) => server.ExecuteAsync(database, sql);

    /// <summary>Rows of a query on the source, each "v1|v2|…", joined by "; " (the form of <see cref="SidecarSource.Query"/>).</summary>
    public async Task<string> SourceRowsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(SourceConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        return string.Join("; ", SidecarSource.Rows(reader));
    }

    /// <summary>The slot's confirmed flush position, compared by the server with <paramref name="lsn"/>: whether it is at or before it.</summary>
    public async Task<bool> SlotConfirmedAtOrBeforeAsync(string lsn)
        => (bool)(await server.ScalarAsSuperUserAsync(database, $"SELECT confirmed_flush_lsn <= '{lsn}'::pg_lsn FROM pg_replication_slots WHERE slot_name = '{database}'"))!;

    public void Dispose()
    {
        RheiConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
