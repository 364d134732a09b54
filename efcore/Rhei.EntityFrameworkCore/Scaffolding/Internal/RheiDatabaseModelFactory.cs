using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Scaffolding;
using Microsoft.EntityFrameworkCore.Scaffolding.Metadata;
using Microsoft.EntityFrameworkCore.Sqlite.Scaffolding.Internal;
using Microsoft.EntityFrameworkCore.Storage;
using Rhei.Data;

namespace Rhei.EntityFrameworkCore.Scaffolding.Internal;

/// <summary>
/// Reads a Rhei database's model for <c>dotnet ef dbcontext scaffold</c>: SQLite's reverse engineering, fed a
/// SQLite connection string with Rhei's keys removed, and without Rhei's change-capture tables and triggers.
/// </summary>
/// <remarks>
/// Without a table list from the user, the factory asks SQLite's for the application's tables by name, so Rhei's
/// tables are never read at all (reading them made SQLite's factory warn about a column of <c>_rhei_consumers</c>).
/// It also leaves out EF's own <c>__EFMigrationsLock</c>, which EF Core 10's SQLite factory scaffolds as an entity
/// (dotnet/efcore#38148, fixed in EF Core 11) while it already leaves out <c>__EFMigrationsHistory</c>.
/// </remarks>
/// <remarks>
/// <c>SqliteDatabaseModelFactory.Create(string)</c> opens a <c>SqliteConnection</c>, which rejects keys such as
/// <c>Olap</c> or <c>Sync Interval</c>. Reading through a plain SQLite connection (rather than opening a
/// <see cref="RheiConnection"/>) also keeps scaffolding free of side effects: opening Rhei would install change
/// capture and start the DuckDB mirror on the database being inspected.
/// </remarks>
public sealed class RheiDatabaseModelFactory : SqliteDatabaseModelFactory
{
    private const string RheiPrefix = "_rhei_";
    private const string MigrationsLockTable = "__EFMigrationsLock";

    /// <summary>Creates the factory.</summary>
    public RheiDatabaseModelFactory(IDiagnosticsLogger<DbLoggerCategory.Scaffolding> logger, IRelationalTypeMappingSource typeMappingSource)
        : base(logger, typeMappingSource)
    {
    }

    /// <summary>Reads the model of the database named by a Rhei (or plain SQLite) connection string.</summary>
    public override DatabaseModel Create(string connectionString, DatabaseModelFactoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        using var connection = new SqliteConnection(ToSqliteConnectionString(connectionString));
        return Create(connection, options);
    }

    /// <summary>
    /// Reads the model through <paramref name="connection"/>: an open <see cref="RheiConnection"/> is read through the
    /// SQLite connection underneath it (so an in-memory database is the same one), a closed one through a plain SQLite
    /// connection to its file.
    /// </summary>
    public override DatabaseModel Create(DbConnection connection, DatabaseModelFactoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection is RheiConnection rhei)
        {
            if (rhei.State == System.Data.ConnectionState.Open)
            {
                return CreateWithoutRheiObjects(rhei.SqliteConnection, options);
            }

            using var sqlite = new SqliteConnection(ToSqliteConnectionString(rhei.ConnectionString));
            return CreateWithoutRheiObjects(sqlite, options);
        }

        return CreateWithoutRheiObjects(connection, options);
    }

    private DatabaseModel CreateWithoutRheiObjects(DbConnection connection, DatabaseModelFactoryOptions options)
        => WithoutRheiObjects(base.Create(connection, WithApplicationTables(connection, options)));

    // An explicit table list from the user stands (and EF warns about names it cannot find); otherwise the list is
    // every table and view that is neither SQLite's, Rhei's nor EF's migration lock.
    private static DatabaseModelFactoryOptions WithApplicationTables(DbConnection connection, DatabaseModelFactoryOptions options)
    {
        if (options.Tables.Any())
        {
            return options;
        }

        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            connection.Open();
        }

        var tables = new List<string>();
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var name = reader.GetString(0);
                if (!IsRheiName(name) && !IsMigrationsLock(name))
                {
                    tables.Add(name);
                }
            }
        }
        finally
        {
            if (opened)
            {
                connection.Close();
            }
        }

        // No application table: nothing to restrict (an empty list means "all" to SQLite's factory); the filter below
        // still removes Rhei's objects.
        return tables.Count == 0 ? options : new DatabaseModelFactoryOptions(tables, options.Schemas);
    }

    private static string ToSqliteConnectionString(string connectionString)
        => new RheiConnectionStringBuilder(connectionString).ToSqliteConnectionString();

    // Change capture is Rhei's machinery, not the application's model: scaffolding it would make EF own (and a
    // later migration drop) the log table, and declare the capture triggers on every entity.
    private static DatabaseModel WithoutRheiObjects(DatabaseModel model)
    {
        foreach (var table in model.Tables.Where(t => IsRheiName(t.Name) || IsMigrationsLock(t.Name)).ToList())
        {
            model.Tables.Remove(table);
        }

        foreach (var table in model.Tables)
        {
            foreach (var foreignKey in table.ForeignKeys.Where(k => IsRheiName(k.PrincipalTable.Name)).ToList())
            {
                table.ForeignKeys.Remove(foreignKey);
            }

            foreach (var trigger in table.Triggers.Where(t => IsRheiName(t.Name)).ToList())
            {
                table.Triggers.Remove(trigger);
            }
        }

        return model;
    }

    private static bool IsRheiName(string name) => name.StartsWith(RheiPrefix, StringComparison.OrdinalIgnoreCase);

    private static bool IsMigrationsLock(string name) => string.Equals(name, MigrationsLockTable, StringComparison.OrdinalIgnoreCase);
}
