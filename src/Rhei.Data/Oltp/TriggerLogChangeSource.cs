using Microsoft.Data.Sqlite;
using Rhei.Data.Schema;
using Rhei.Data.Sync;

namespace Rhei.Data.Oltp;

/// <summary>
/// The local change source: triggers on each replicated SQLite table write into <c>_rhei_cdc_log</c>; this reads
/// that log, records consumer positions in <c>_rhei_consumers</c> and prunes what every live consumer applied.
/// Owns two SQLite connections: one for the pipeline (reads, registry and trigger upkeep of this database) and
/// one for freshness probes, which run beside a cycle.
/// </summary>
internal sealed class TriggerLogChangeSource : IChangeSource
{
    private readonly OltpConnectionFactory _connections;
    private readonly RheiSyncMode _mode;
    private readonly object _probeGate = new();
    private SqliteConnection? _connection;
    private SqliteConnection? _probe;

    public TriggerLogChangeSource(OltpConnectionFactory connections, RheiSyncMode mode)
    {
        _connections = connections;
        _mode = mode;
    }

    public string Kind => "sqlite-trigger-log";

    /// <summary>The pipeline's SQLite connection, for the registry and trigger upkeep of this database.</summary>
    public SqliteConnection Connection => _connection ?? throw new InvalidOperationException("The SQLite change log is not open.");

    /// <summary>Opens both connections and creates the log, consumer and registry tables where missing.</summary>
    public void Open()
    {
        _connection = _connections.Open();
        _probe = _connections.Open();
        ReplicationTables.Create(_connection);
    }

    public long LatestPosition() => ReplicationTables.MaxSequence(Connection);

    public long ProbeLatestPosition()
    {
        lock (_probeGate)
        {
            ObjectDisposedException.ThrowIf(_probe is null, this);
            return ReplicationTables.MaxSequence(_probe);
        }
    }

    public ChangeBatch ReadAfter(long position, int batchSize, Func<string, TableSchema?> resolve, Func<string, long> floor)
        => CdcLogReader.Read(Connection, position, batchSize, resolve, floor, _mode);

    public IReadOnlyDictionary<string, long> PendingPerTable(long position)
    {
        var pending = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        using var command = Connection.CreateCommand();
        command.CommandText = $"SELECT tbl, count(*) FROM {ReplicationTables.CdcLog} WHERE seq > $w GROUP BY tbl";
        command.Parameters.AddWithValue("$w", position);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            pending[reader.GetString(0)] = reader.GetInt64(1);
        }

        return pending;
    }

    public void Acknowledge(string consumerId, long position) => ConsumerRegistry.Upsert(Connection, consumerId, position);

    public long Prune(long position, TimeSpan consumerTimeout) => CdcLogPruner.Prune(Connection, position, consumerTimeout);

    public void Release(string consumerId) => ConsumerRegistry.Remove(Connection, consumerId);

    public IChangeSourceSnapshot OpenSnapshot() => new TriggerLogSnapshot(Connection, _mode);

    public void Dispose()
    {
        _connection?.Dispose();
        lock (_probeGate)
        {
            _probe?.Dispose();
            _probe = null;
        }
    }
}
