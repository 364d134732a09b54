using Microsoft.Data.Sqlite;
using Rhei.Data.Schema;
using Rhei.Data.Sync;

namespace Rhei.Data.Oltp;

/// <summary>
/// The local change source: triggers on each replicated SQLite table write into <c>_rhei_cdc_log</c>; this reads
/// that log, records consumer positions in <c>_rhei_consumers</c> and prunes what every live consumer applied.
/// Owns two SQLite connections: one for the pipeline (reads, registry and trigger upkeep of this database) and
/// one for freshness probes, which run beside a cycle (see <see cref="ChangeLogProbe"/>: one prepared PRAGMA when nothing was committed).
/// </summary>
internal sealed class TriggerLogChangeSource : IChangeSource
{
    private readonly OltpConnectionFactory _connections;
    private readonly RheiSyncMode _mode;
    // Beyond this the log's numbering is about to run out (SQLite then numbers new rows at random, or fails every write
    // with SQLITE_FULL in an old AUTOINCREMENT log).
    private const long SequenceOutOfReach = long.MaxValue / 2;

    private readonly object _probeGate = new();
    private SqliteConnection? _connection;
    private CdcLogStatements? _logStatements;
    private long _databaseId;
    private SqliteConnection? _probe;
    private ChangeLogProbe? _probeStatements;

    private readonly bool _holdForSubscriptions;

    /// <param name="connections">Opens connections to the SQLite file.</param>
    /// <param name="mode">What the triggers capture.</param>
    /// <param name="holdForSubscriptions">
    /// Whether change-feed subscriptions read this log (no bridge), so pruning stops at the slowest one within its retention.
    /// </param>
    public TriggerLogChangeSource(OltpConnectionFactory connections, RheiSyncMode mode, bool holdForSubscriptions = true)
    {
        _connections = connections;
        _mode = mode;
        _holdForSubscriptions = holdForSubscriptions;
    }

    public string Kind => "sqlite-trigger-log";

    /// <summary>The pipeline's SQLite connection, for the registry and trigger upkeep of this database.</summary>
    public SqliteConnection Connection => _connection ?? throw new InvalidOperationException("The SQLite change log is not open.");

    /// <summary>Opens both connections and creates the log, consumer and registry tables where missing.</summary>
    public void Open()
    {
        _connection = _connections.Open();
        _logStatements = new CdcLogStatements(_connection);
        _probe = _connections.Open();
        _probeStatements = new ChangeLogProbe(_probe);
        ReplicationTables.Create(_connection);
        ChangeFeed.SubscriptionStore.Create(_connection);
        _databaseId = ReplicationTables.EnsureDatabaseId(_connection);
    }

    public long SourceId => _databaseId;

    public long LatestPosition() => LogStatements.ReadHighWater();

    public long ProbeLatestPosition()
    {
        lock (_probeGate)
        {
            ObjectDisposedException.ThrowIf(_probeStatements is null, this);
            return _probeStatements.LatestPosition();
        }
    }

    public ChangeBatch ReadAfter(long position, int batchSize, Func<string, TableSchema?> resolve, Func<string, long> floor)
        => CdcLogReader.Read(LogStatements, position, batchSize, resolve, floor, _mode);

    // The pipeline connection's prepared statements: the log read's, and the cycle's position and identity checks.
    private CdcLogStatements LogStatements => _logStatements ?? throw new InvalidOperationException("The SQLite change log is not open.");

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

    public long Prune(long position, TimeSpan consumerTimeout)
    {
        if (_holdForSubscriptions && ChangeFeed.SubscriptionStore.SlowestRetained(Connection, LatestPosition()) is { } slowest)
        {
            position = Math.Min(position, slowest);
        }

        return CdcLogPruner.Prune(Connection, position, consumerTimeout);
    }

    public void Release(string consumerId) => ConsumerRegistry.Remove(Connection, consumerId);

    public IChangeSourceSnapshot OpenSnapshot() => new TriggerLogSnapshot(Connection, _mode);

    public void Repair()
    {
        // Recreates what was dropped (the log, the consumers, the registry tables) before anything reads them.
        ReplicationTables.Create(Connection);
        ChangeFeed.SubscriptionStore.Create(Connection);
        _databaseId = ReplicationTables.EnsureDatabaseId(Connection);
    }

    public string? ContinuityProblem(long applied)
    {
        if (LogStatements.ReadDatabaseId() != _databaseId)
        {
            _databaseId = ReplicationTables.EnsureDatabaseId(Connection);
            return "the SQLite file was replaced by another database";
        }

        var highWater = LogStatements.ReadHighWater();
        return highWater < applied ? Ahead(applied, highWater) : null;
    }

    public string? GapProblem(ChangeBatch batch, long applied)
    {
        var expectedFirst = batch.FromExclusive + 1;
        var missing = batch.EventCount == 0
            ? batch.HighWater > batch.FromExclusive
            : batch.FirstSequence != expectedFirst || batch.ToInclusive - batch.FirstSequence + 1 != batch.EventCount;
        if (!missing)
        {
            return null;
        }

        if (batch.PrunedThrough > batch.FromExclusive)
        {
            // Events this mirror never saw were pruned: only a full reload makes it whole again.
            return $"change events after sequence {batch.FromExclusive} were pruned before this mirror applied them";
        }

        if (batch.HighWater > SequenceOutOfReach)
        {
            // Someone pushed the sequence to the end of its range: numbering would break down. Put it back where
            // the log and its consumers really are (events may have been removed on the way: a rebuild follows).
            var back = Math.Max(ReplicationTables.MaxLoggedSequence(Connection, SequenceOutOfReach), Math.Max(applied, ConsumerRegistry.MaximumWatermark(Connection)));
            ReplicationTables.ResetSequence(Connection, back, SequenceOutOfReach);
            return $"the change log's sequence was pushed to {batch.HighWater} outside Rhei.Data; it was reset to {back}";
        }

        return $"change events after sequence {batch.FromExclusive} are missing from {ReplicationTables.CdcLog} (deleted outside Rhei.Data)";
    }

    public string? ResumeProblem(long stored, long? storedSourceId)
        => IdentityProblem(stored, storedSourceId)
            ?? (ReplicationTables.ReadMeta(Connection, CdcLogPruner.PrunedThroughKey) > stored
                ? $"the durable mirror stopped at sequence {stored}, but later events were pruned"
                : null);

    /// <summary>Why a mirror at <paramref name="stored"/> built from <paramref name="storedSourceId"/> is not of this database's log (another file, a sequence gone back), or null.</summary>
    public string? IdentityProblem(long stored, long? storedSourceId)
    {
        if (storedSourceId is { } id && id != _databaseId)
        {
            return "the mirror file was built from another SQLite database";
        }

        var highWater = ReplicationTables.MaxSequence(Connection);
        return stored > highWater ? Ahead(stored, highWater) : null;
    }

    private static string Ahead(long watermark, long highWater)
        => $"the mirror has applied change events through sequence {watermark}, but SQLite's change log has only reached {highWater} (the SQLite file was restored from an older copy, or its sequence was reset)";

    public void Dispose()
    {
        // The prepared statements go before their connection: SQLite closes a connection only once its statements are finalized.
        _logStatements?.Dispose();
        _logStatements = null;
        _connection?.Dispose();
        lock (_probeGate)
        {
            _probeStatements?.Dispose();
            _probeStatements = null;
            _probe?.Dispose();
            _probe = null;
        }
    }
}
