using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Rhei.Data;

/// <summary>
/// A transaction on the SQLite side of a connection. Every command inside it runs on SQLite, so it
/// reads its own writes; the mirror receives the changes once the transaction commits.
/// </summary>
public sealed class RheiTransaction : DbTransaction
{
    private RheiConnection? _connection;
    private readonly SqliteTransaction _sqlite;

    internal RheiTransaction(RheiConnection connection, SqliteTransaction sqlite)
    {
        _connection = connection;
        _sqlite = sqlite;
    }

    /// <summary>The connection, or null once the transaction has completed.</summary>
    public new RheiConnection? Connection => _connection;

    /// <inheritdoc />
    protected override DbConnection? DbConnection => _connection;

    /// <inheritdoc />
    public override IsolationLevel IsolationLevel => _sqlite.IsolationLevel;

    /// <inheritdoc />
    public override bool SupportsSavepoints => true;

    internal SqliteTransaction SqliteTransaction => _sqlite;

    /// <inheritdoc />
    public override void Commit()
    {
        var connection = RequireActive(nameof(Commit));
        Run(_sqlite.Commit);
        Complete();
        connection.OnTransactionCompleted(committed: true);
    }

    /// <inheritdoc />
    public override void Rollback()
    {
        var connection = RequireActive(nameof(Rollback));
        Run(_sqlite.Rollback);
        Complete();
        connection.OnTransactionCompleted(committed: false);
    }

    /// <inheritdoc />
    public override Task CommitAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Commit();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task RollbackAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Rollback();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override void Save(string savepointName)
    {
        RequireActive(nameof(Save));
        Run(() => _sqlite.Save(savepointName));
    }

    /// <inheritdoc />
    public override void Rollback(string savepointName)
    {
        RequireActive(nameof(Rollback));
        Run(() => _sqlite.Rollback(savepointName));
    }

    /// <inheritdoc />
    public override void Release(string savepointName)
    {
        RequireActive(nameof(Release));
        Run(() => _sqlite.Release(savepointName));
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && _connection is { } connection)
        {
            // Disposing an active transaction rolls it back, as every ADO.NET provider does.
            try
            {
                _sqlite.Dispose();
            }
            finally
            {
                Complete();
                connection.OnTransactionCompleted(committed: false);
            }
        }

        base.Dispose(disposing);
    }

    private RheiConnection RequireActive(string operation)
        => _connection ?? throw new InvalidOperationException(
            $"{operation} cannot be called: the transaction has already completed (committed, rolled back or disposed).");

    private void Complete() => _connection = null;

    private static void Run(Action action)
    {
        try
        {
            action();
        }
        catch (SqliteException ex)
        {
            throw RheiException.FromSqlite(ex);
        }
    }
}
