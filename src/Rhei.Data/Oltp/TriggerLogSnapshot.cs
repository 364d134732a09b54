using Microsoft.Data.Sqlite;
using Rhei.Data.Olap;
using Rhei.Data.Schema;
using Rhei.Data.Sync;

namespace Rhei.Data.Oltp;

/// <summary>A deferred SQLite read transaction: the tables and the change log's sequence as of one moment.</summary>
internal sealed class TriggerLogSnapshot : IChangeSourceSnapshot
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly RheiSyncMode _mode;

    public TriggerLogSnapshot(SqliteConnection connection, RheiSyncMode mode)
    {
        _connection = connection;
        _mode = mode;
        _transaction = connection.BeginTransaction(deferred: true);
        try
        {
            Position = ReplicationTables.MaxSequence(connection, _transaction);
        }
        catch
        {
            _transaction.Dispose();
            throw;
        }
    }

    public long Position { get; }

    public long CopyTable(DuckDbSession target, TableSchema schema, Action<long>? progress, CancellationToken ct)
        => MirrorLoader.Load(target, _connection, _transaction, schema, _mode, progress, ct);

    public void Complete() => _transaction.Commit();

    public void Dispose() => _transaction.Dispose();
}
