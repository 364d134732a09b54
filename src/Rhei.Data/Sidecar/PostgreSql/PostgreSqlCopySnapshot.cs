using System.Globalization;
using Npgsql;

namespace Rhei.Data.Sidecar.PostgreSql;

/// <summary>
/// The connections of one initial copy, every one inside a REPEATABLE READ transaction on the same snapshot, so rows
/// COPYed on any of them are rows of one moment: the first is the caller's (it imported the replication slot's
/// exported snapshot, or exports its own with <c>pg_export_snapshot()</c> for timestamp capture, whose watermarks it
/// then reads in that very snapshot); the others are opened when a table is large enough to be copied in ctid ranges
/// (<see cref="PostgreSqlParallelCopy"/>) and import the snapshot with <c>SET TRANSACTION SNAPSHOT</c>. Ranges need
/// PostgreSQL 14's TID range scan (before it, a ctid predicate reads the whole table) and an exported snapshot (none
/// on a standby, which cannot export one): otherwise every table is copied on the first connection alone.
/// </summary>
internal sealed class PostgreSqlCopySnapshot : IAsyncDisposable
{
    /// <summary>Connections a large table is copied on: one per processor (each has a server backend of its own).</summary>
    public static int MaxConnections => Math.Clamp(Environment.ProcessorCount, 2, 8);

    private readonly PostgreSqlConnector _connector;
    private readonly List<NpgsqlConnection> _connections;
    private readonly string? _snapshot;

    private PostgreSqlCopySnapshot(PostgreSqlConnector connector, NpgsqlConnection first, string? snapshot)
    {
        _connector = connector;
        _connections = [first];
        _snapshot = snapshot;
    }

    /// <summary>Whether large tables may be copied in ctid ranges on several connections.</summary>
    public bool RangeScans => _snapshot is not null;

    /// <summary>
    /// For a connection whose REPEATABLE READ transaction has just imported <paramref name="snapshot"/> (logical
    /// replication), or, with null, whose transaction has run nothing yet: the snapshot is exported from it here, as its
    /// first statement, so it is the transaction's own.
    /// </summary>
    public static async Task<PostgreSqlCopySnapshot> CreateAsync(PostgreSqlConnector connector, NpgsqlConnection first, string? snapshot, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            snapshot is null
                ? "SELECT current_setting('server_version_num')::int, CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_export_snapshot() END"
                : "SELECT current_setting('server_version_num')::int, NULL::text",
            first);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var version = reader.GetInt32(0);
        snapshot ??= reader.IsDBNull(1) ? null : reader.GetString(1);
        return new PostgreSqlCopySnapshot(connector, first, version >= 140000 ? snapshot : null);
    }

    /// <summary>The first connection (the caller's), where tables copied whole and watermarks are read.</summary>
    public NpgsqlConnection First => _connections[0];

    /// <summary>The table's size in pages now (never less than what the snapshot sees: its rows cannot be vacuumed away).</summary>
    public async Task<long> PagesAsync(PostgreSqlTableInfo info, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_relation_size($1::oid) / current_setting('block_size')::bigint", First)
        {
            Parameters = { new() { Value = (long)info.Oid } },
        };
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <summary>Up to <paramref name="count"/> connections on the snapshot, opening the missing ones (in parallel).</summary>
    public async Task<IReadOnlyList<NpgsqlConnection>> ConnectionsAsync(int count, CancellationToken cancellationToken)
    {
        if (_snapshot is null || _connections.Count >= count)
        {
            return _connections.Count > count ? _connections.GetRange(0, count) : _connections;
        }

        var opening = Enumerable.Range(0, count - _connections.Count).Select(_ => OpenOnSnapshotAsync(cancellationToken)).ToArray();
        try
        {
            await Task.WhenAll(opening).ConfigureAwait(false);
        }
        finally
        {
            // Even after a failure: the ones that opened are closed with the rest.
            _connections.AddRange(opening.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result));
        }

        return _connections;
    }

    /// <summary>Ends the extra connections' read-only transactions and closes them; the first is the caller's.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections.Skip(1))
        {
            try
            {
                if (connection.FullState == System.Data.ConnectionState.Open)
                {
                    await using var commit = new NpgsqlCommand("COMMIT", connection);
                    await commit.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (NpgsqlException)
            {
                // A connection that failed mid-copy: closing it ends its transaction all the same.
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }

        _connections.RemoveRange(1, _connections.Count - 1);
    }

    private async Task<NpgsqlConnection> OpenOnSnapshotAsync(CancellationToken cancellationToken)
    {
        var connection = await _connector.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // SET TRANSACTION SNAPSHOT must be the transaction's first statement; READ ONLY, the copy writes nothing.
            await using var command = new NpgsqlCommand(
                $"BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; SET TRANSACTION SNAPSHOT '{_snapshot!.Replace("'", "''", StringComparison.Ordinal)}'", connection);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
