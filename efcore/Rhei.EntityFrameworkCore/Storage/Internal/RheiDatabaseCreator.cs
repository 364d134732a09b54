using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Rhei.Data;
using Rhei.EntityFrameworkCore.Infrastructure.Internal;

namespace Rhei.EntityFrameworkCore.Storage.Internal;

/// <summary>
/// Creates, checks and deletes a Rhei database: the SQLite file (with its WAL files) and the DuckDB mirror file.
/// </summary>
/// <remarks>
/// Replaces <c>SqliteDatabaseCreator</c>, which parses the connection string with <c>SqliteConnectionStringBuilder</c>
/// (it rejects Rhei's keys), counts Rhei's own change-capture tables as user tables (so <c>EnsureCreated</c> would
/// skip creating the model on a fresh database), and leaves the WAL files and the mirror behind on delete.
/// </remarks>
public sealed class RheiDatabaseCreator : RelationalDatabaseCreator
{
    // Rhei's change capture, EF's migration history and lock, and SQLite's own tables are not the model's tables.
    private const string UserTableCountSql =
        """
        SELECT COUNT(*) FROM "sqlite_master"
        WHERE "type" = 'table' AND "rootpage" IS NOT NULL
          AND "name" NOT LIKE '\_rhei\_%' ESCAPE '\'
          AND "name" NOT LIKE '\_\_EFMigrations%' ESCAPE '\'
          AND "name" NOT LIKE 'sqlite\_%' ESCAPE '\';
        """;

    private readonly IRawSqlCommandBuilder _rawSqlCommandBuilder;

    /// <summary>Creates the service.</summary>
    public RheiDatabaseCreator(RelationalDatabaseCreatorDependencies dependencies, IRawSqlCommandBuilder rawSqlCommandBuilder)
        : base(dependencies)
    {
        _rawSqlCommandBuilder = rawSqlCommandBuilder;
    }

    /// <inheritdoc />
    public override bool Exists()
    {
        var (path, inMemory) = SqlitePath();
        return inMemory || File.Exists(path);
    }

    /// <inheritdoc />
    /// <remarks>Opening the connection creates the SQLite file and starts the engine (and its DuckDB mirror).</remarks>
    public override void Create()
    {
        Dependencies.Connection.Open();
        try
        {
            // WAL lets the sync engine read the change log while the application writes.
            _rawSqlCommandBuilder.Build("PRAGMA journal_mode = 'wal';").ExecuteNonQuery(Parameters());
        }
        finally
        {
            Dependencies.Connection.Close();
        }
    }

    /// <inheritdoc />
    public override bool HasTables()
        => Convert.ToInt64(_rawSqlCommandBuilder.Build(UserTableCountSql).ExecuteScalar(Parameters()), System.Globalization.CultureInfo.InvariantCulture) != 0;

    /// <inheritdoc />
    /// <remarks>
    /// Shuts the engine down first (it holds the DuckDB file and SQLite handles), then removes the SQLite file,
    /// its <c>-wal</c>/<c>-shm</c>/<c>-journal</c> companions and the DuckDB file named by <c>Olap Path</c>.
    /// </remarks>
    public override void Delete()
    {
        if (Dependencies.ContextOptions.FindExtension<RheiOptionsExtension>()?.DataSource is not null)
        {
            // The data source's engine keeps the mirror and the change-capture state of the files open; deleting
            // them underneath it would leave it answering from a database that no longer exists.
            throw new InvalidOperationException(
                "EnsureDeleted cannot delete the database of a RheiDataSource: its engine holds the files. Dispose the data source and delete the files, or configure the context with a connection string.");
        }

        var (path, inMemory) = SqlitePath();
        var options = Options();
        Dependencies.Connection.Close();
        if (Dependencies.Connection.DbConnection is RheiConnection connection)
        {
            RheiConnection.ClearPool(connection);
        }

        SqliteConnection.ClearAllPools();
        if (inMemory)
        {
            return;
        }

        DeleteWithCompanions(path, "-wal", "-shm", "-journal");
        if (options.OlapPath is { } olapPath)
        {
            DeleteWithCompanions(olapPath, ".wal");
        }
    }

    private static void DeleteWithCompanions(string path, params string[] suffixes)
    {
        File.Delete(path);
        foreach (var suffix in suffixes)
        {
            File.Delete(path + suffix);
        }
    }

    private RheiOptions Options()
        => Dependencies.ContextOptions.FindExtension<RheiOptionsExtension>()?.DataSource?.Options
           ?? RheiOptions.FromConnectionString(Dependencies.Connection.ConnectionString
               ?? throw new InvalidOperationException("The Rhei context has neither a connection string nor a data source."));

    private (string Path, bool InMemory) SqlitePath()
    {
        var options = Options();
        var sqlite = new SqliteConnectionStringBuilder(options.SqliteConnectionString);
        var inMemory = options.IsInMemorySqlite || sqlite.Mode == SqliteOpenMode.Memory;
        return (sqlite.DataSource, inMemory);
    }

    private RelationalCommandParameterObject Parameters()
        => new(Dependencies.Connection, null, null, Dependencies.CurrentContext.Context, Dependencies.CommandLogger, CommandSource.Migrations);
}
