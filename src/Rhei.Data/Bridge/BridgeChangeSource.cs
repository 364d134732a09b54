using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Rhei.Data.ChangeFeed;
using Rhei.Data.Oltp;
using Rhei.Data.Schema;
using Rhei.Data.Sync;
using RocksDbSharp;

namespace Rhei.Data.Bridge;

/// <summary>
/// The durable bridge (<c>Bridge Path</c>) as a change source: each read first moves new events out of SQLite's
/// <c>_rhei_cdc_log</c> into the RocksDB <see cref="BridgeLog"/> (events, row images and the bridge watermark in one
/// atomic write batch), prunes SQLite's log up to that watermark, then serves the pipeline from the bridge log. Positions
/// stay the trigger log's sequence numbers, so the mirror, full loads and the change feed speak one position.
/// The SQLite side (connections, consumers, snapshots, database identity) is the wrapped trigger-log source's.
/// </summary>
internal sealed class BridgeChangeSource : IChangeSource
{
    private readonly TriggerLogChangeSource _sqlite;
    private readonly string _path;
    private readonly RheiSyncMode _mode;
    private readonly Func<string, TableSchema?> _registered;
    private readonly ILogger _logger;
    private BridgeLog? _log;
    private string? _consumerId;
    private TimeSpan _consumerTimeout = TimeSpan.FromSeconds(60);

    public BridgeChangeSource(TriggerLogChangeSource sqlite, string path, RheiSyncMode mode, Func<string, TableSchema?> registered, ILogger logger)
    {
        _sqlite = sqlite;
        _path = path;
        _mode = mode;
        _registered = registered;
        _logger = logger;
    }

    public string Kind => "rocksdb-bridge";

    /// <summary>The bridge log, for status and the change feed.</summary>
    public BridgeLog Log => _log ?? throw new InvalidOperationException("The bridge log is not open.");

    public long SourceId => _sqlite.SourceId;

    /// <summary>Opens the bridge first: a directory that cannot serve fails before anything in the SQLite file changes.</summary>
    public void Open()
    {
        _log = BridgeLog.Open(_path);
        try
        {
            _sqlite.Open();
            if (_log.SourceId is null)
            {
                _log.Reset(StartOfSqliteLog(), _sqlite.SourceId);
            }
            else if (BridgeProblem() is { } problem)
            {
                StartOver(problem);
            }
        }
        catch
        {
            _log.Dispose();
            _log = null;
            throw;
        }
    }

    public long LatestPosition() => Math.Max(_sqlite.LatestPosition(), Log.Watermark);

    public long ProbeLatestPosition() => Math.Max(_sqlite.ProbeLatestPosition(), Log.Watermark);

    public ChangeBatch ReadAfter(long position, int batchSize, Func<string, TableSchema?> resolve, Func<string, long> floor)
    {
        BridgeThrough(position > long.MaxValue - batchSize ? long.MaxValue : position + batchSize, batchSize);
        var registryVersion = SchemaRegistry.ReadVersion(_sqlite.Connection);
        var events = Log.ReadAfter(position, long.MaxValue, batchSize);
        return BridgeBatchBuilder.Build(events, position, Log, registryVersion, resolve, floor, _mode);
    }

    /// <summary>
    /// Moves events from SQLite into the bridge until its watermark reaches <paramref name="target"/> or SQLite has no more;
    /// after each durable write, SQLite's log is pruned up to the watermark (never past another live consumer).
    /// Returns how many events were bridged.
    /// </summary>
    public long BridgeThrough(long target, int chunk)
    {
        var log = Log;
        long moved = 0;
        var times = default(BridgeTimes);
        var writer = new BridgeChunkWriter(_sqlite.Connection, new ChangeTableSchemas(_sqlite.Connection, _registered).Of, _mode);
        while (log.Watermark < target)
        {
            using var records = new WriteBatch();
            var started = Stopwatch.GetTimestamp();
            var read = writer.Write(log.Watermark, chunk, records);
            var readDone = Stopwatch.GetTimestamp();
            var expected = log.Watermark + 1;
            if (read.Count > 0 ? read.FirstSequence != expected : read.HighWater >= expected)
            {
                // SQLite's log no longer has what the bridge needs next (this engine was silent past the consumer timeout,
                // or events were deleted outside Rhei.Data): the bridge starts over where SQLite's log starts; whoever
                // reads it sees the gap (the mirror rebuilds, a subscription fails naming the position).
                var start = read.Count > 0 ? read.FirstSequence - 1 : read.HighWater;
                _logger.LogWarning("Change events after sequence {Watermark} left SQLite's change log before they were bridged to '{Path}'; the bridge log starts over at {Start}.", log.Watermark, _path, start);
                log.Reset(start, _sqlite.SourceId);
                continue;
            }

            if (read.Count == 0)
            {
                break;
            }

            log.Append(records, read.LastSequence, _sqlite.SourceId);
            var written = Stopwatch.GetTimestamp();
            moved += read.Count;
            PruneSqlite();
            times = times.Add(readDone - started, written - readDone, Stopwatch.GetTimestamp() - written);
            if (read.Count < chunk)
            {
                break;
            }
        }

        LastBridgeTimes = times;
        return moved;
    }

    /// <summary>Where the last <see cref="BridgeThrough"/> spent its time (the benchmark's breakdown).</summary>
    public BridgeTimes LastBridgeTimes { get; private set; }

    public IReadOnlyDictionary<string, long> PendingPerTable(long position)
    {
        var pending = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var (table, count) in _sqlite.PendingPerTable(Math.Max(position, Log.Watermark)))
        {
            pending[table] = count;
        }

        // Bridged but not applied: exact, read from the log itself (status is not a hot path).
        for (var from = position; ;)
        {
            var events = Log.ReadAfter(from, long.MaxValue, 10_000);
            if (events.Count == 0)
            {
                break;
            }

            foreach (var e in events)
            {
                pending[e.Table] = pending.GetValueOrDefault(e.Table) + 1;
            }

            from = events[^1].Sequence;
        }

        return pending;
    }

    /// <summary>The mirror's progress: this engine needs from SQLite's log only what is not bridged yet.</summary>
    public void Acknowledge(string consumerId, long position)
    {
        _consumerId = consumerId;
        _sqlite.Acknowledge(consumerId, Log.Watermark);
    }

    public long Prune(long position, TimeSpan consumerTimeout)
    {
        _consumerTimeout = consumerTimeout;
        var bound = Math.Min(position, SubscriptionStore.SlowestRetained(_sqlite.Connection, LatestPosition()) ?? position);
        var pruned = Log.Prune(bound);
        PruneSqlite();
        return pruned;
    }

    public void Release(string consumerId) => _sqlite.Release(consumerId);

    public IChangeSourceSnapshot OpenSnapshot() => _sqlite.OpenSnapshot();

    public void Repair() => _sqlite.Repair();

    public string? ContinuityProblem(long applied)
    {
        if (_sqlite.ContinuityProblem(applied) is { } problem)
        {
            StartOver(problem);
            return problem;
        }

        if (BridgeProblem() is { } bridged)
        {
            StartOver(bridged);
            return bridged;
        }

        return null;
    }

    public string? GapProblem(ChangeBatch batch, long applied)
    {
        var missing = batch.EventCount == 0
            ? batch.HighWater > batch.FromExclusive
            : batch.FirstSequence != batch.FromExclusive + 1 || batch.ToInclusive - batch.FirstSequence + 1 != batch.EventCount;
        if (!missing)
        {
            return null;
        }

        return batch.PrunedThrough > batch.FromExclusive
            ? $"change events after sequence {batch.FromExclusive} were pruned from the bridge log in '{_path}' before this mirror applied them"
            : $"change events after sequence {batch.FromExclusive} are missing from the bridge log in '{_path}'";
    }

    public string? ResumeProblem(long stored, long? storedSourceId)
        => _sqlite.IdentityProblem(stored, storedSourceId)
            ?? (Log.PrunedThrough > stored ? $"the durable mirror stopped at sequence {stored}, but the bridge log in '{_path}' starts after {Log.PrunedThrough}" : null);

    public void Dispose()
    {
        _sqlite.Dispose();
        _log?.Dispose();
    }

    /// <summary>Why the bridge log does not belong to this SQLite file as it is now, or null.</summary>
    private string? BridgeProblem()
    {
        if (Log.SourceId != _sqlite.SourceId)
        {
            return $"the bridge log in '{_path}' was bridged from another SQLite database";
        }

        var highWater = ReplicationTables.MaxSequence(_sqlite.Connection);
        return Log.Watermark > highWater
            ? $"the bridge log in '{_path}' holds events through sequence {Log.Watermark}, but SQLite's change log has only reached {highWater} (the SQLite file was restored from an older copy)"
            : null;
    }

    private void StartOver(string reason)
    {
        _logger.LogWarning("The bridge log no longer matched SQLite: {Reason}; it starts over.", reason);
        Log.Reset(StartOfSqliteLog(), _sqlite.SourceId);
    }

    /// <summary>Where a new bridge starts: just before the oldest event SQLite's log still holds (or at its high-water mark).</summary>
    private long StartOfSqliteLog()
    {
        using var command = _sqlite.Connection.CreateCommand();
        command.CommandText = $"SELECT min(seq) FROM {ReplicationTables.CdcLog}";
        return command.ExecuteScalar() is long first ? first - 1 : ReplicationTables.MaxSequence(_sqlite.Connection);
    }

    private void PruneSqlite()
    {
        if (_consumerId is { } id)
        {
            _sqlite.Acknowledge(id, Log.Watermark);
        }

        _sqlite.Prune(Log.Watermark, _consumerTimeout);
    }
}
