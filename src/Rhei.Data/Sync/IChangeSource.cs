using Rhei.Data.Oltp;
using Rhei.Data.Schema;

namespace Rhei.Data.Sync;

/// <summary>
/// Where committed changes come from. A position is a number that only grows in commit order (the trigger log's
/// sequence; a bridge offset, a polled timestamp or a PostgreSQL LSN map onto it the same way); the mirror stores
/// the last one it applied with the rows it applied. A new kind of source (sidecar polling, logical replication,
/// the durable bridge) plugs in by implementing this; the mirror and the pipeline stay as they are.
/// Not thread-safe except <see cref="ProbeLatestPosition"/>: the pipeline's lock serializes every other call.
/// </summary>
internal interface IChangeSource : IDisposable
{
    /// <summary>What this source is, for logs and traces (never a connection string).</summary>
    string Kind { get; }

    /// <summary>Opens the source (its connections, its log); a source that cannot serve fails here, before it changes anything.</summary>
    void Open();

    /// <summary>The latest position a committed change has reached.</summary>
    long LatestPosition();

    /// <summary>The latest position, safe to call beside a running cycle (a Strong read asks it without the lock).</summary>
    long ProbeLatestPosition();

    /// <summary>
    /// Reads at most <paramref name="batchSize"/> changes after <paramref name="position"/> within one consistent
    /// snapshot, compacted per table. <paramref name="resolve"/> gives the schema of a table to capture (null to skip
    /// it); <paramref name="floor"/> the position a table's last full load covers (older changes are skipped).
    /// </summary>
    ChangeBatch ReadAfter(long position, int batchSize, Func<string, TableSchema?> resolve, Func<string, long> floor);

    /// <summary>How many changes after <paramref name="position"/> wait to be applied, per table (for status).</summary>
    IReadOnlyDictionary<string, long> PendingPerTable(long position);

    /// <summary>Records that <paramref name="consumerId"/> has applied everything through <paramref name="position"/> (also a heartbeat).</summary>
    void Acknowledge(string consumerId, long position);

    /// <summary>Removes changes every live consumer has applied; returns how many.</summary>
    long Prune(long position, TimeSpan consumerTimeout);

    /// <summary>Stops holding changes back for a consumer that will not come back.</summary>
    void Release(string consumerId);

    /// <summary>A consistent snapshot of the source's tables and the position it stands at, for a full load.</summary>
    IChangeSourceSnapshot OpenSnapshot();

    // The integrity checks: each source knows how its own log can stop describing the data (a file restored from a
    // backup, events deleted or a sequence reset by a writer Rhei cannot see). The pipeline only learns "rebuild,
    // because…" and rebuilds the mirror from a snapshot of the source.

    /// <summary>Which database the changes come from; stored with the mirror's position so a replaced one is noticed.</summary>
    long SourceId { get; }

    /// <summary>Recreates the source's own bookkeeping where someone outside removed it (checked after any schema change).</summary>
    void Repair();

    /// <summary>At the start of a cycle: why a mirror that applied through <paramref name="applied"/> no longer continues this source, or null.</summary>
    string? ContinuityProblem(long applied);

    /// <summary>
    /// Why <paramref name="batch"/>, read after <paramref name="applied"/>, does not continue where the mirror stopped (a gap), or
    /// null. May put the source back in order first (a sequence pushed out of reach), since a rebuild follows.
    /// </summary>
    string? GapProblem(ChangeBatch batch, long applied);

    /// <summary>
    /// Why a durable mirror that stopped at <paramref name="stored"/>, built from <paramref name="storedSourceId"/> (null when
    /// not recorded), cannot resume on this source, or null when it can.
    /// </summary>
    string? ResumeProblem(long stored, long? storedSourceId);
}
