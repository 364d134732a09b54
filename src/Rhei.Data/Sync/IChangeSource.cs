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
}
