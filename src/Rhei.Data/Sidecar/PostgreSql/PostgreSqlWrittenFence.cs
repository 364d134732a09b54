using NpgsqlTypes;

namespace Rhei.Data.Sidecar.PostgreSql;

/// <summary>
/// The last fence a logical-replication source wrote for a Strong read: its unique content, the WAL position right
/// after it (what <c>pg_logical_emit_message</c> returns), and, once the stream delivered it, the position the stream
/// gives it (its start). While the server's WAL insert position has not passed <see cref="End"/>, nothing was written
/// after the fence, so every commit lies before <see cref="Start"/>: a Strong read needs no new fence and no wait
/// once the mirror applied through it.
/// </summary>
internal sealed record PostgreSqlWrittenFence(string Id, NpgsqlLogSequenceNumber End, NpgsqlLogSequenceNumber? Start);
