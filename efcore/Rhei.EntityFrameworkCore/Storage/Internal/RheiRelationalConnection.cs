using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Sqlite.Storage.Internal;
using Microsoft.EntityFrameworkCore.Storage;
using Rhei.Data;
using Rhei.EntityFrameworkCore.Infrastructure.Internal;

namespace Rhei.EntityFrameworkCore.Storage.Internal;

/// <summary>
/// EF's connection for a Rhei context: creates <see cref="RheiConnection"/>s (from the connection string or the
/// configured <see cref="RheiDataSource"/>) and registers EF's SQLite functions on the SQLite connection underneath.
/// </summary>
/// <remarks>
/// Derives from <see cref="RelationalConnection"/> and implements <see cref="ISqliteRelationalConnection"/> directly:
/// <c>SqliteRelationalConnection</c> creates <c>SqliteConnection</c>s (which reject Rhei's keys) and its constructor
/// logs <c>UnexpectedConnectionTypeWarning</c> for any other connection type, which would be untrue here because
/// Rhei registers the functions itself.
/// </remarks>
public sealed class RheiRelationalConnection : RelationalConnection, ISqliteRelationalConnection
{
    private readonly RheiDataSource? _dataSource;

    /// <summary>Creates the connection service.</summary>
    public RheiRelationalConnection(RelationalConnectionDependencies dependencies)
        : base(dependencies)
    {
        _dataSource = dependencies.ContextOptions.FindExtension<RheiOptionsExtension>()?.DataSource;
        var supplied = RelationalOptionsExtension.Extract(dependencies.ContextOptions).Connection;
        if (supplied is not null)
        {
            RheiSqliteFunctions.Attach(supplied);
        }
    }

    /// <inheritdoc />
    protected override DbConnection CreateDbConnection()
    {
        var connection = _dataSource is not null ? _dataSource.CreateConnection() : new RheiConnection(GetValidatedConnectionString());
        RheiSqliteFunctions.Attach(connection);
        return connection;
    }

    /// <inheritdoc />
    protected override void OpenDbConnection(bool errorsExpected)
    {
        // A connection set later with SetDbConnection has not been seen yet: attach before it opens.
        RheiSqliteFunctions.Attach(DbConnection);
        base.OpenDbConnection(errorsExpected);
    }

    /// <inheritdoc />
    protected override Task OpenDbConnectionAsync(bool errorsExpected, CancellationToken cancellationToken)
    {
        RheiSqliteFunctions.Attach(DbConnection);
        return base.OpenDbConnectionAsync(errorsExpected, cancellationToken);
    }

    /// <summary>
    /// A connection to the same SQLite file opened read-only, without the analytical mirror (a read-only
    /// connection cannot install change capture, and only existence checks use it).
    /// </summary>
    public ISqliteRelationalConnection CreateReadOnlyConnection()
    {
        var builder = new RheiConnectionStringBuilder(_dataSource?.Options.NormalizedConnectionString ?? GetValidatedConnectionString())
        {
            Olap = RheiOlapEngine.None,
        };
        builder["Mode"] = "ReadOnly";
        var options = new DbContextOptionsBuilder().UseRhei(builder.ConnectionString).Options;
        return new RheiRelationalConnection(Dependencies with { ContextOptions = options });
    }
}
