namespace Rhei.Data.Sidecar;

/// <summary>
/// A database Rhei follows without owning it (sidecar mode): an external SQLite file or a PostgreSQL server. The
/// sidecar pipeline asks it for the followed tables, copies them once, then reads changes after the position the
/// mirror stored in the same DuckDB transaction as the rows it applied, and acknowledges a position only after
/// that transaction committed (PostgreSQL advances its slot there, so WAL is recycled only once it is applied).
/// A position is opaque to the pipeline: the source writes and parses it (a compound timestamp watermark per
/// table, or an LSN). Calls are serialized by the pipeline, except <see cref="CurrentPositionAsync"/>.
/// </summary>
internal interface ISidecarSource : IAsyncDisposable
{
    /// <summary>What this source is, for logs, status and traces (never a connection string).</summary>
    string Kind { get; }

    /// <summary>Connects, checks what the configuration asks for, and describes the followed tables.</summary>
    Task<IReadOnlyList<SidecarTable>> OpenAsync(SidecarSettings settings, CancellationToken cancellationToken);

    /// <summary>
    /// Copies every row of <paramref name="tables"/> into <paramref name="sink"/> from one consistent snapshot and
    /// returns the position changes continue from, so nothing is missed or doubled between copy and stream.
    /// </summary>
    Task<SidecarPosition> CopyAsync(IReadOnlyList<SidecarTable> tables, ISidecarRowSink sink, IProgress<long>? progress, CancellationToken cancellationToken);

    /// <summary>Reads at most <paramref name="maxChanges"/> changes committed after <paramref name="after"/>, in commit order.</summary>
    Task<SidecarBatch> ReadAsync(SidecarPosition after, int maxChanges, CancellationToken cancellationToken);

    /// <summary>Called after the mirror committed everything through <paramref name="applied"/>.</summary>
    Task AcknowledgeAsync(SidecarPosition applied, CancellationToken cancellationToken);

    /// <summary>
    /// The source's position now, for a Strong read: once the mirror has applied through it, the read sees every
    /// commit made before it began. Safe to call beside a running cycle.
    /// </summary>
    Task<SidecarPosition> CurrentPositionAsync(CancellationToken cancellationToken);

    /// <summary>Whether the mirror, having applied through <paramref name="applied"/>, covers <paramref name="target"/>.</summary>
    bool Covers(SidecarPosition applied, SidecarPosition target);

    /// <summary>
    /// For <see cref="SidecarDeleteDetection.KeyScan"/>: appends the primary key of every row of <paramref name="table"/>
    /// as it stands now to <paramref name="sink"/> (values in key order, as a table of the key columns). Sources that
    /// see deletes themselves (logical replication) need not implement it.
    /// </summary>
    Task CopyKeysAsync(SidecarTable table, ISidecarRowSink sink, CancellationToken cancellationToken)
        => Task.FromException(new NotSupportedException($"The {Kind} source does not scan keys; it follows deletes itself."));

    /// <summary>How many changes of each table the source holds past <paramref name="applied"/>, for status; empty when it cannot tell cheaply.</summary>
    Task<IReadOnlyDictionary<string, long>> PendingAsync(SidecarPosition applied, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyDictionary<string, long>>(new Dictionary<string, long>());

    /// <summary>
    /// Whether every position <see cref="CurrentPositionAsync"/> returns is one the stream will reach (an LSN: the
    /// commit is in the WAL and the stream delivers it, a moment later). A Strong read then waits for it even through
    /// cycles that found nothing yet. False for timestamp polling, whose target a rewritten older timestamp can make
    /// unreachable.
    /// </summary>
    bool ReachesEveryPosition => false;

    /// <summary>
    /// Tables the source stopped delivering because a value or a column cannot map to the mirror (table → reason). The
    /// pipeline quarantines each in the mirror after every copy and read, so their reads never see a mirror that
    /// silently fell behind.
    /// </summary>
    IReadOnlyDictionary<string, string> QuarantinedTables => new Dictionary<string, string>();

    /// <summary>The part of <paramref name="position"/> that concerns <paramref name="table"/>, for status (a table's watermark, or the LSN).</summary>
    string DescribePosition(SidecarPosition position, string table) => position.Value;
}
