using Microsoft.Extensions.Logging;
using Rhei.Data.Diagnostics;
using Rhei.Data.Olap;
using Rhei.Data.Oltp;
using Rhei.Data.Schema;

namespace Rhei.Data.Sync;

// Whether the mirror still describes this SQLite database: checked when the engine starts and in every
// cycle. SQLite files get restored from backups, and writers Rhei cannot see (the sqlite3 shell, another
// tool) can delete change events, reset the sequence or drop triggers. Each of these would leave the mirror
// silently different from SQLite; the answer is always the same: say so, and rebuild from SQLite.
internal sealed partial class ReplicationEngine
{
    // Beyond this the log's AUTOINCREMENT is about to run out (SQLite then fails every write with SQLITE_FULL).
    private const long SequenceOutOfReach = long.MaxValue / 2;

    private string? _lastRebuildReason;
    private DateTimeOffset? _lastRebuildAt;

    /// <summary>Why the mirror was last rebuilt from SQLite because it no longer matched, or null.</summary>
    internal string? LastRebuildReason => Volatile.Read(ref _lastRebuildReason);

    /// <summary>When <see cref="LastRebuildReason"/> happened.</summary>
    internal DateTimeOffset? LastRebuildAt => _lastRebuildAt;

    /// <summary>Why a durable mirror cannot resume where it stopped, or null when it can (and has).</summary>
    private (string Reason, bool Warn)? ResumeProblem()
    {
        if (_options.OlapPath is null)
        {
            return ("the mirror is in memory", false);
        }

        if (_mirror.StoredPosition() is not { } stored)
        {
            return ("the durable mirror has no completed load", false);
        }

        _consumerId = stored.ConsumerId;

        // Hold the log at the stored position before looking at it: a prune by another engine in between
        // would otherwise go unnoticed.
        Source.Acknowledge(_consumerId, stored.Sequence);
        var source = _mirror.StoredSourceDatabase();
        if (source is { } id && id != _databaseId)
        {
            return ("the mirror file was built from another SQLite database", true);
        }

        var highWater = Source.LatestPosition();
        if (stored.Sequence > highWater)
        {
            return (Ahead(stored.Sequence, highWater), true);
        }

        if (ReplicationTables.ReadMeta(Sqlite, CdcLogPruner.PrunedThroughKey) > stored.Sequence)
        {
            return ($"the durable mirror stopped at sequence {stored.Sequence}, but later events were pruned", true);
        }

        SetWatermark(stored.Sequence);
        _mirror.AdoptStoredTables();

        if (source is null)
        {
            // A mirror made before the identity was kept: adopt it now that its sequence checked out.
            _mirror.WriteSourceDatabase(_databaseId);
        }

        return null;
    }

    private static string Ahead(long watermark, long highWater)
        => $"the mirror has applied change events through sequence {watermark}, but SQLite's change log has only reached {highWater} (the SQLite file was restored from an older copy, or its sequence was reset)";

    /// <summary>
    /// Drops every mirror table and loads all of them again from one SQLite snapshot, then stores the
    /// snapshot's log position as the watermark, so that the next start resumes instead of loading again.
    /// </summary>
    private void RebuildAll(string reason, bool warn, CancellationToken ct)
    {
        if (warn)
        {
            NoteRebuild(reason + "; the mirror was rebuilt from SQLite");
        }
        else
        {
            _logger.MirrorLoading(reason);
        }

        // Registered before the snapshot: no engine may prune an event this load's snapshot does not contain.
        Source.Acknowledge(_consumerId, Source.LatestPosition());
        _mirror.DropAll();
        var position = LoadTables(_registry.Tables, null, ct);
        _mirror.WritePosition(_consumerId, position, _databaseId);
        SetWatermark(position);
        Source.Acknowledge(_consumerId, position);
    }

    /// <summary>
    /// The checks at the start of a cycle: the database is still the one the mirror was built from and its log
    /// has not gone back; after any schema change by anyone, the log table and every table's triggers are
    /// still in place. True when the mirror had to be rebuilt.
    /// </summary>
    private bool CheckSource(CancellationToken ct)
    {
        var sqlite = Sqlite;
        var version = ReplicationTables.SchemaVersion(sqlite);
        if (version != _schemaVersion)
        {
            // Recreates what was dropped (the log, the consumers, the registry tables) before anything reads them.
            ReplicationTables.Create(sqlite);
            _databaseId = ReplicationTables.EnsureDatabaseId(sqlite);
            foreach (var table in _registry.Tables)
            {
                if (EnsureTriggers(table))
                {
                    // Writes while the triggers were gone were never captured: only a reload brings them.
                    NoteRebuild($"the change-capture triggers of '{table.Name}' were dropped or altered outside Rhei.Data; the table was reloaded");
                    LoadTables([table], null, ct);
                }
            }

            _schemaVersion = ReplicationTables.SchemaVersion(sqlite);
        }

        if (ReplicationTables.ReadMeta(sqlite, ReplicationTables.DatabaseIdKey) is var id && id != _databaseId)
        {
            _databaseId = ReplicationTables.EnsureDatabaseId(sqlite);
            RebuildAll("the SQLite file was replaced by another database", warn: true, ct);
            return true;
        }

        var highWater = ReplicationTables.MaxSequence(sqlite);
        if (highWater < Watermark)
        {
            RebuildAll(Ahead(Watermark, highWater), warn: true, ct);
            return true;
        }

        return false;
    }

    /// <summary>
    /// A batch that does not continue the log where the mirror stopped: events after the watermark were pruned
    /// (this engine was silent past the consumer timeout) or removed by someone else. Rebuilds the mirror and
    /// returns true in either case.
    /// </summary>
    private bool RebuildOnGap(ChangeBatch batch, CancellationToken ct)
    {
        var expectedFirst = batch.FromExclusive + 1;
        var missing = batch.EventCount == 0
            ? batch.HighWater > batch.FromExclusive
            : batch.FirstSequence != expectedFirst || batch.ToInclusive - batch.FirstSequence + 1 != batch.EventCount;
        if (!missing)
        {
            return false;
        }

        if (batch.PrunedThrough > batch.FromExclusive)
        {
            // Events this mirror never saw were pruned: only a full reload makes it whole again.
            RebuildAll($"change events after sequence {batch.FromExclusive} were pruned before this mirror applied them", warn: true, ct);
            return true;
        }

        if (batch.EventCount == 0 && batch.HighWater > SequenceOutOfReach)
        {
            // Someone pushed the sequence to the end of its range: every write would fail. Put it back where
            // the log and its consumers really are, then rebuild (events may have been removed on the way).
            var back = Math.Max(ReplicationTables.MaxLoggedSequence(Sqlite), Math.Max(Watermark, ConsumerRegistry.MaximumWatermark(Sqlite)));
            ReplicationTables.ResetSequence(Sqlite, back);
            RebuildAll($"the change log's sequence was pushed to {batch.HighWater} outside Rhei.Data; it was reset to {back}", warn: true, ct);
            return true;
        }

        RebuildAll($"change events after sequence {batch.FromExclusive} are missing from {ReplicationTables.CdcLog} (deleted outside Rhei.Data)", warn: true, ct);
        return true;
    }

    private void NoteRebuild(string reason)
    {
        _logger.MirrorRebuilt(reason);
        Volatile.Write(ref _lastRebuildReason, reason);
        _lastRebuildAt = DateTimeOffset.UtcNow;
    }
}
