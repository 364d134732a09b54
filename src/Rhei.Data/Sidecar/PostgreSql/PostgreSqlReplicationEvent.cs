using NpgsqlTypes;

namespace Rhei.Data.Sidecar.PostgreSql;

/// <summary>What the replication pump hands the reading side, in stream order.</summary>
internal abstract record PostgreSqlReplicationEvent
{
    /// <summary>
    /// Row changes inside the current transaction, in stream order: the pump hands them over in runs (up to
    /// <c>PostgreSqlReplicationPump.ChangesPerEvent</c>, and always before the next event of another kind), so the
    /// channel is crossed once per run, not once per row.
    /// </summary>
    public sealed record Changes(List<SidecarChange> Values) : PostgreSqlReplicationEvent;

    /// <summary>A followed table's shape changed (a relation message with other columns): changes after it use the new shape.</summary>
    public sealed record SchemaChange(SidecarTable Table) : PostgreSqlReplicationEvent;

    /// <summary>The current transaction committed: <paramref name="CommitLsn"/> is the commit record's start, <paramref name="EndLsn"/> the position after it.</summary>
    public sealed record Commit(NpgsqlLogSequenceNumber CommitLsn, NpgsqlLogSequenceNumber EndLsn, DateTimeOffset CommitTime) : PostgreSqlReplicationEvent;

    /// <summary>A fence message written by <c>CurrentPositionAsync</c> (<paramref name="Id"/>: its content): the stream has reached <paramref name="Lsn"/>, outside any transaction.</summary>
    public sealed record Fence(NpgsqlLogSequenceNumber Lsn, string Id) : PostgreSqlReplicationEvent;

    /// <summary>The stream failed; the reader rethrows it.</summary>
    public sealed record Failure(Exception Error) : PostgreSqlReplicationEvent;
}
