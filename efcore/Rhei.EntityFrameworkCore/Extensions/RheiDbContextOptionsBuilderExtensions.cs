using Microsoft.EntityFrameworkCore.Infrastructure;
using Rhei.Data;
using Rhei.EntityFrameworkCore.Infrastructure.Internal;

namespace Microsoft.EntityFrameworkCore;

/// <summary>
/// <c>UseRhei</c>: the EF Core SQLite provider with a <see cref="RheiConnection"/> underneath. Writes and
/// transactions run on SQLite; analytical queries may be answered by the DuckDB mirror with the same result.
/// </summary>
/// <remarks>
/// The SQLite provider stays the database provider, so <c>Database.IsSqlite()</c>, <c>migrationBuilder.IsSqlite()</c>,
/// the SQLite options builder and the SQLite design-time services all apply. Rhei replaces the connection service
/// (so Rhei's connection-string keys are accepted and EF's SQLite functions are registered) and the database creator.
/// </remarks>
public static class RheiDbContextOptionsBuilderExtensions
{
    /// <summary>Configures the context to use Rhei.Data with a connection string, e.g. <c>Data Source=app.db</c>.</summary>
    /// <param name="optionsBuilder">The builder being used to configure the context.</param>
    /// <param name="connectionString">A Rhei.Data connection string; its keys are checked here, naming any bad one.</param>
    /// <param name="sqliteOptionsAction">Further SQLite provider options (migrations assembly, command timeout…).</param>
    public static DbContextOptionsBuilder UseRhei(
        this DbContextOptionsBuilder optionsBuilder,
        string connectionString,
        Action<SqliteDbContextOptionsBuilder>? sqliteOptionsAction = null)
    {
        ArgumentNullException.ThrowIfNull(optionsBuilder);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        // Fail at configuration, naming the key, rather than at the first query.
        _ = RheiOptions.FromConnectionString(connectionString);
        return UseRheiCore(optionsBuilder, new RheiOptionsExtension(), b => b.UseSqlite(connectionString, sqliteOptionsAction));
    }

    /// <summary>Configures the context to use an existing <see cref="RheiConnection"/>.</summary>
    /// <param name="optionsBuilder">The builder being used to configure the context.</param>
    /// <param name="connection">The connection; the caller keeps ownership (EF does not dispose it).</param>
    /// <param name="sqliteOptionsAction">Further SQLite provider options.</param>
    public static DbContextOptionsBuilder UseRhei(
        this DbContextOptionsBuilder optionsBuilder,
        RheiConnection connection,
        Action<SqliteDbContextOptionsBuilder>? sqliteOptionsAction = null)
        => UseRhei(optionsBuilder, connection, contextOwnsConnection: false, sqliteOptionsAction);

    /// <summary>Configures the context to use an existing <see cref="RheiConnection"/>.</summary>
    /// <param name="optionsBuilder">The builder being used to configure the context.</param>
    /// <param name="connection">The connection.</param>
    /// <param name="contextOwnsConnection">Whether the context disposes the connection when it is disposed.</param>
    /// <param name="sqliteOptionsAction">Further SQLite provider options.</param>
    public static DbContextOptionsBuilder UseRhei(
        this DbContextOptionsBuilder optionsBuilder,
        RheiConnection connection,
        bool contextOwnsConnection,
        Action<SqliteDbContextOptionsBuilder>? sqliteOptionsAction = null)
    {
        ArgumentNullException.ThrowIfNull(optionsBuilder);
        ArgumentNullException.ThrowIfNull(connection);
        return UseRheiCore(optionsBuilder, new RheiOptionsExtension(), b => b.UseSqlite(connection, contextOwnsConnection, sqliteOptionsAction));
    }

    /// <summary>
    /// Configures the context to take its connections from a <see cref="RheiDataSource"/> (one engine, created with
    /// the application's logger factory, shared by every context).
    /// </summary>
    /// <param name="optionsBuilder">The builder being used to configure the context.</param>
    /// <param name="dataSource">The data source; the caller owns and disposes it.</param>
    /// <param name="sqliteOptionsAction">Further SQLite provider options.</param>
    public static DbContextOptionsBuilder UseRhei(
        this DbContextOptionsBuilder optionsBuilder,
        RheiDataSource dataSource,
        Action<SqliteDbContextOptionsBuilder>? sqliteOptionsAction = null)
    {
        ArgumentNullException.ThrowIfNull(optionsBuilder);
        ArgumentNullException.ThrowIfNull(dataSource);
        // EF keeps the redacted string for logs and the creator; connections come from the data source itself.
        return UseRheiCore(
            optionsBuilder,
            new RheiOptionsExtension(dataSource),
            b => b.UseSqlite(dataSource.ConnectionString, sqliteOptionsAction));
    }

    /// <inheritdoc cref="UseRhei(DbContextOptionsBuilder, string, Action{SqliteDbContextOptionsBuilder}?)" />
    public static DbContextOptionsBuilder<TContext> UseRhei<TContext>(
        this DbContextOptionsBuilder<TContext> optionsBuilder,
        string connectionString,
        Action<SqliteDbContextOptionsBuilder>? sqliteOptionsAction = null)
        where TContext : DbContext
        => (DbContextOptionsBuilder<TContext>)UseRhei((DbContextOptionsBuilder)optionsBuilder, connectionString, sqliteOptionsAction);

    /// <inheritdoc cref="UseRhei(DbContextOptionsBuilder, RheiConnection, Action{SqliteDbContextOptionsBuilder}?)" />
    public static DbContextOptionsBuilder<TContext> UseRhei<TContext>(
        this DbContextOptionsBuilder<TContext> optionsBuilder,
        RheiConnection connection,
        Action<SqliteDbContextOptionsBuilder>? sqliteOptionsAction = null)
        where TContext : DbContext
        => (DbContextOptionsBuilder<TContext>)UseRhei((DbContextOptionsBuilder)optionsBuilder, connection, sqliteOptionsAction);

    /// <inheritdoc cref="UseRhei(DbContextOptionsBuilder, RheiConnection, bool, Action{SqliteDbContextOptionsBuilder}?)" />
    public static DbContextOptionsBuilder<TContext> UseRhei<TContext>(
        this DbContextOptionsBuilder<TContext> optionsBuilder,
        RheiConnection connection,
        bool contextOwnsConnection,
        Action<SqliteDbContextOptionsBuilder>? sqliteOptionsAction = null)
        where TContext : DbContext
        => (DbContextOptionsBuilder<TContext>)UseRhei((DbContextOptionsBuilder)optionsBuilder, connection, contextOwnsConnection, sqliteOptionsAction);

    /// <inheritdoc cref="UseRhei(DbContextOptionsBuilder, RheiDataSource, Action{SqliteDbContextOptionsBuilder}?)" />
    public static DbContextOptionsBuilder<TContext> UseRhei<TContext>(
        this DbContextOptionsBuilder<TContext> optionsBuilder,
        RheiDataSource dataSource,
        Action<SqliteDbContextOptionsBuilder>? sqliteOptionsAction = null)
        where TContext : DbContext
        => (DbContextOptionsBuilder<TContext>)UseRhei((DbContextOptionsBuilder)optionsBuilder, dataSource, sqliteOptionsAction);

    private static DbContextOptionsBuilder UseRheiCore(
        DbContextOptionsBuilder optionsBuilder,
        RheiOptionsExtension extension,
        Action<DbContextOptionsBuilder> useSqlite)
    {
        RheiEfVersion.EnsureSupported();
        // Added before UseSqlite so that, on a fresh builder, Rhei's registrations run first (EF applies
        // extensions in the order they were added); they replace SQLite's either way.
        ((IDbContextOptionsBuilderInfrastructure)optionsBuilder).AddOrUpdateExtension(extension);
        useSqlite(optionsBuilder);
        return optionsBuilder;
    }
}
