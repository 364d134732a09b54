namespace Rhei.Data.Sidecar.PostgreSql;

/// <summary>
/// How far the replication slot's confirmed flush position is behind the server, for status: <see cref="Bytes"/> of
/// WAL (<c>pg_current_wal_lsn() − confirmed_flush_lsn</c>), and <see cref="Time"/>: zero when nothing is pending,
/// otherwise the server's time since the commit of the last transaction the mirror acknowledged (an upper bound of the
/// age of the oldest change not yet applied; null before any acknowledgement).
/// </summary>
internal sealed record PostgreSqlSlotLag(string Slot, string ConfirmedFlushLsn, long Bytes, TimeSpan? Time, bool Active);
