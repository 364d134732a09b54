using Microsoft.Extensions.Logging;
using Rhei.Data.Diagnostics;
using Rhei.Data.Olap;
using Rhei.Data.Oltp;
using Rhei.Data.Schema;

namespace Rhei.Data.Sync;

// Whether the mirror still describes its source: checked when the engine starts and in every cycle. SQLite
// files get restored from backups, and writers Rhei cannot see (the sqlite3 shell, another tool) can delete
// change events, reset the sequence or drop triggers. Each of these would leave the mirror silently different
// from SQLite; the answer is always the same: say so, and rebuild. The source judges its own log
// (IChangeSource.ContinuityProblem / GapProblem / ResumeProblem); this file acts on the answer and keeps the
// trigger upkeep, which is about the local database's tables.
internal sealed partial class LocalReplicator
{
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
        var storedSource = _mirror.StoredSourceDatabase();
        if (Source.ResumeProblem(stored.Sequence, storedSource) is { } problem)
        {
            return (problem, true);
        }

        SetWatermark(stored.Sequence);
        _mirror.AdoptStoredTables();

        if (storedSource is null)
        {
            // A mirror made before the identity was kept: adopt it now that its sequence checked out.
            _mirror.WriteSourceDatabase(Source.SourceId);
        }

        return null;
    }

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
        _mirror.WritePosition(_consumerId, position, Source.SourceId);
        SetWatermark(position);
        Source.Acknowledge(_consumerId, position);
    }

    /// <summary>
    /// The checks at the start of a cycle: the source still continues what the mirror applied (the source answers
    /// for its own log: database replaced, sequence gone back); after any schema change by anyone, the source's
    /// bookkeeping and every table's triggers are still in place. True when the mirror had to be rebuilt.
    /// </summary>
    private bool CheckSource(CancellationToken ct)
    {
        // The version is taken before the checks and recorded as seen only once they are done; then it is read again.
        // A schema change by someone else while they ran (say, the change log dropped just after Repair looked) shows
        // as a version the checks did not cover, and they run again. Reading the version only after the checks would
        // record that change as seen and never repair it. A pass that changes nothing leaves the version where it
        // was, so a quiet schema needs at most one extra pass; a schema changing all the time is checked again by
        // the next cycle.
        var version = ReplicationTables.SchemaVersion(Sqlite);
        for (var pass = 0; pass < 3 && version != _schemaVersion; pass++)
        {
            var covered = version;
            Source.Repair();
            FaultInjector?.Invoke("after-repair");
            foreach (var table in _registry.Tables)
            {
                if (EnsureTriggers(table))
                {
                    // Writes while the triggers were gone were never captured: only a reload brings them.
                    NoteRebuild($"the change-capture triggers of '{table.Name}' were dropped or altered outside Rhei.Data; the table was reloaded");
                    LoadTables([table], null, ct);
                }
            }

            _schemaVersion = covered;
            version = ReplicationTables.SchemaVersion(Sqlite);
        }

        if (Source.ContinuityProblem(Watermark) is { } problem)
        {
            RebuildAll(problem, warn: true, ct);
            return true;
        }

        return false;
    }

    /// <summary>
    /// A batch that does not continue the source where the mirror stopped (events pruned while this engine was silent
    /// past the consumer timeout, or removed by someone else): rebuilds the mirror and returns true.
    /// </summary>
    private bool RebuildOnGap(ChangeBatch batch, CancellationToken ct)
    {
        if (Source.GapProblem(batch, Watermark) is not { } problem)
        {
            return false;
        }

        RebuildAll(problem, warn: true, ct);
        return true;
    }

    private void NoteRebuild(string reason)
    {
        _logger.MirrorRebuilt(reason);
        Volatile.Write(ref _lastRebuildReason, reason);
        _lastRebuildAt = DateTimeOffset.UtcNow;
    }
}
