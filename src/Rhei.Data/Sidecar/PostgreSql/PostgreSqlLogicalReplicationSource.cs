using System.Threading.Channels;
using Npgsql;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;
using NpgsqlTypes;

namespace Rhei.Data.Sidecar.PostgreSql;

/// <summary>
/// Follows a PostgreSQL server by logical replication (pgoutput, binary values): every INSERT, UPDATE, DELETE and
/// TRUNCATE of the followed tables, no timestamp column needed. <see cref="OpenAsync"/> checks the server, the role and
/// the tables, then creates or reuses the publication; <see cref="CopyAsync"/> creates the slot (both named by
/// <see cref="SidecarSettings.ReplicationName"/>) and copies from the snapshot it exports, so the stream continues
/// exactly where the copy ends (a slot that already exists is reused: the copy then takes the snapshot of a temporary
/// slot, and the stream starts at its consistent point). Positions are LSNs; a batch always ends on a commit
/// boundary (a transaction larger than the batch size comes whole). The slot's confirmed flush position moves only in
/// <see cref="AcknowledgeAsync"/>, after the mirror committed. A read from an earlier position than the last batch
/// (the mirror failed to apply it) restarts the stream there. The slot and publication are dropped only by
/// <see cref="DropReplicationAsync"/>.
/// </summary>
internal sealed class PostgreSqlLogicalReplicationSource : ISidecarSource
{
    // Events the pump may run ahead of ReadAsync (runs of changes, commits, fences).
    private const int StreamedEvents = 64;

    private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(100);

    private readonly SemaphoreSlim _positionGate = new(1, 1);
    private readonly string _fenceSession = Guid.NewGuid().ToString("N");
    private readonly Queue<(NpgsqlLogSequenceNumber End, DateTimeOffset CommitTime)> _readCommits = new();
    private readonly List<SidecarChange> _transaction = [];
    private readonly List<SidecarTable> _carriedSchemaChanges = [];
    private Dictionary<uint, PostgreSqlTableInfo> _tables = [];
    private PostgreSqlConnector? _connector;
    private SidecarSettings? _settings;
    private NpgsqlConnection? _sql;
    private NpgsqlConnection? _positionConnection;
    private LogicalReplicationConnection? _replication;
    private bool _replicationStreamed;
    private PostgreSqlReplicationPump? _pump;
    private Task? _pumpTask;
    private CancellationTokenSource? _pumpStop;
    private ChannelReader<PostgreSqlReplicationEvent>? _events;
    private NpgsqlLogSequenceNumber _streamedThrough;
    private NpgsqlLogSequenceNumber? _skipCommitsBefore;
    private DateTimeOffset? _acknowledgedCommitTime;
    private long _fenceCounter;
    private PostgreSqlWrittenFence? _lastFence;

    public string Kind => "PostgreSQL (logical replication)";

    /// <summary>Tables this source stopped delivering, and why (see <see cref="PostgreSqlQuarantine"/>).</summary>
    public PostgreSqlQuarantine Quarantine { get; } = new();

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> QuarantinedTables => Quarantine.Tables;

    /// <inheritdoc />
    public bool ReachesEveryPosition => true;

    private string Name => _settings?.ReplicationName ?? throw new InvalidOperationException("OpenAsync first");

    private PostgreSqlConnector Connector => _connector ?? throw new InvalidOperationException("OpenAsync first");

    public async Task<IReadOnlyList<SidecarTable>> OpenAsync(SidecarSettings settings, CancellationToken cancellationToken)
    {
        PostgreSqlReplicationSetup.CheckName(settings.ReplicationName);
        _settings = settings;
        _connector = new PostgreSqlConnector(settings.Source);
        _sql = await _connector.OpenAsync(cancellationToken).ConfigureAwait(false);
        var doing = "checking the PostgreSQL source for logical replication";
        try
        {
            await PostgreSqlReplicationSetup.CheckServerAndRoleAsync(_sql, cancellationToken).ConfigureAwait(false);
            doing = "describing the followed tables of the PostgreSQL source";
            var described = await PostgreSqlCatalog.DescribeAsync(_sql, settings, Quarantine, cancellationToken).ConfigureAwait(false);
            foreach (var table in described)
            {
                PostgreSqlReplicationSetup.CheckReplicaIdentity(table);
            }

            doing = $"checking replication slot {settings.ReplicationName}";
            await PostgreSqlReplicationSetup.SlotAsync(_sql, settings.ReplicationName, cancellationToken).ConfigureAwait(false);
            doing = $"creating or extending publication {settings.ReplicationName}";
            await PostgreSqlReplicationSetup.EnsurePublicationAsync(_sql, settings.ReplicationName, described, cancellationToken).ConfigureAwait(false);
            _tables = described.ToDictionary(t => t.Oid);
            return [.. described.Select(t => t.Table)];
        }
        catch (Exception ex) when (PostgreSqlErrors.IsPostgreSqlFailure(ex))
        {
            throw _connector.Wrap(ex, doing);
        }
    }

    public async Task<SidecarPosition> CopyAsync(IReadOnlyList<SidecarTable> tables, ISidecarRowSink sink, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var connector = Connector;
        await StopStreamAsync().ConfigureAwait(false);
        var doing = $"creating replication slot {Name}";
        LogicalReplicationConnection? temporary = null;
        long copied = 0;
        try
        {
            var replication = await NewReplicationConnectionAsync(cancellationToken).ConfigureAwait(false);
            string snapshot;
            NpgsqlLogSequenceNumber consistentPoint;
            if (await PostgreSqlReplicationSetup.SlotAsync(_sql!, Name, cancellationToken).ConfigureAwait(false) is null)
            {
                var slot = await replication.CreatePgOutputReplicationSlot(Name, temporarySlot: false, slotSnapshotInitMode: LogicalSlotSnapshotInitMode.Export, cancellationToken: cancellationToken).ConfigureAwait(false);
                (snapshot, consistentPoint) = (slot.SnapshotName!, slot.ConsistentPoint);
            }
            else
            {
                // The slot is reused (the mirror is being rebuilt): a temporary slot exports the snapshot, and the
                // kept slot, older than it, still has every change after its consistent point.
                doing = "creating the temporary replication slot of the initial copy";
                temporary = new LogicalReplicationConnection(connector.ConnectionString);
                await temporary.Open(cancellationToken).ConfigureAwait(false);
                var copySlot = await temporary.CreatePgOutputReplicationSlot($"{Name[..Math.Min(Name.Length, 30)]}_copy_{Guid.NewGuid().ToString("N")[..16]}",
                    temporarySlot: true, slotSnapshotInitMode: LogicalSlotSnapshotInitMode.Export, cancellationToken: cancellationToken).ConfigureAwait(false);
                (snapshot, consistentPoint) = (copySlot.SnapshotName!, copySlot.ConsistentPoint);
            }

            await using var connection = await connector.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            await using (var setSnapshot = new NpgsqlCommand($"SET TRANSACTION SNAPSHOT '{snapshot.Replace("'", "''", StringComparison.Ordinal)}'", connection, transaction))
            {
                await setSnapshot.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            // A large table is copied in ctid ranges on more connections, each importing the same exported snapshot
            // (the replication connection that exported it stays idle until the copy is done, which keeps it valid).
            var byName = _tables.Values.ToDictionary(t => t.Table.Name, StringComparer.Ordinal);
            await using (var copySnapshot = await PostgreSqlCopySnapshot.CreateAsync(connector, connection, snapshot, cancellationToken).ConfigureAwait(false))
            {
                foreach (var table in tables)
                {
                    doing = $"copying table {table.Name}";
                    var info = byName.TryGetValue(table.Name, out var found) ? found : throw new InvalidOperationException($"table {table.Name} was not described by OpenAsync");
                    copied = await PostgreSqlCopy.CopyTableAsync(copySnapshot, info, sink, Quarantine, null, progress, copied, cancellationToken).ConfigureAwait(false);
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            progress?.Report(copied);
            return new SidecarPosition(consistentPoint.ToString());
        }
        catch (Exception ex) when (PostgreSqlErrors.IsPostgreSqlFailure(ex))
        {
            throw connector.Wrap(ex, doing);
        }
        finally
        {
            // Closing the connection drops the temporary slot.
            await (temporary?.DisposeAsync() ?? ValueTask.CompletedTask).ConfigureAwait(false);
        }
    }

    public async Task<SidecarBatch> ReadAsync(SidecarPosition after, int maxChanges, CancellationToken cancellationToken)
    {
        NpgsqlLogSequenceNumber? afterLsn = after.Value.Length == 0 ? null : ParseLsn(after);
        if (_events is null || (afterLsn is { } requested && requested < _streamedThrough))
        {
            await StartStreamAsync(afterLsn, cancellationToken).ConfigureAwait(false);
        }

        var events = _events!;
        var changes = new List<SidecarChange>();
        var schemaChanges = new List<SidecarTable>(_carriedSchemaChanges);
        _carriedSchemaChanges.Clear();
        var position = _streamedThrough;
        while (true)
        {
            if (!events.TryRead(out var next))
            {
                var atBoundary = _transaction.Count == 0;
                if (atBoundary && (changes.Count > 0 || schemaChanges.Count > 0 || position != _streamedThrough))
                {
                    break;
                }

                // Between transactions with nothing read, wait a little for more; inside one, the rest is on its way.
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                if (atBoundary)
                {
                    idle.CancelAfter(IdleWait);
                }

                try
                {
                    if (!await events.WaitToReadAsync(idle.Token).ConfigureAwait(false))
                    {
                        throw PostgreSqlErrors.Refuse($"the replication stream of slot {Name} ended");
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The pump completed the channel with its failure.
                    await StopStreamAsync().ConfigureAwait(false);
                    throw ex is RheiException ? ex : Connector.Wrap(ex, $"streaming changes from replication slot {Name}");
                }

                continue;
            }

            switch (next)
            {
                case PostgreSqlReplicationEvent.Changes run:
                    _transaction.AddRange(run.Values);
                    break;
                case PostgreSqlReplicationEvent.SchemaChange schema when changes.Count > 0:
                    // The mirror evolves a table before the changes after it: end this batch at its last commit.
                    _carriedSchemaChanges.Add(schema.Table);
                    _streamedThrough = position;
                    return Batch(changes, position, schemaChanges);
                case PostgreSqlReplicationEvent.SchemaChange schema:
                    schemaChanges.Add(schema.Table);
                    break;
                case PostgreSqlReplicationEvent.Commit commit:
                    if (_skipCommitsBefore is { } skip && commit.CommitLsn < skip)
                    {
                        // Applied before this stream started (the server resends from the slot's restart point).
                        _transaction.Clear();
                        break;
                    }

                    changes.AddRange(_transaction);
                    _transaction.Clear();
                    position = commit.EndLsn;
                    _readCommits.Enqueue((commit.EndLsn, commit.CommitTime));
                    if (changes.Count >= maxChanges)
                    {
                        _streamedThrough = position;
                        return Batch(changes, position, schemaChanges);
                    }

                    break;
                case PostgreSqlReplicationEvent.Fence fence:
                    NoteStreamedFence(fence);
                    if (_transaction.Count == 0 && fence.Lsn > position)
                    {
                        position = fence.Lsn;
                    }

                    break;
                case PostgreSqlReplicationEvent.Failure failure:
                    await StopStreamAsync().ConfigureAwait(false);
                    throw failure.Error is RheiException ? failure.Error : Connector.Wrap(failure.Error, $"streaming changes from replication slot {Name}");
            }
        }

        _streamedThrough = position;
        return Batch(changes, position, schemaChanges);
    }

    public async Task AcknowledgeAsync(SidecarPosition applied, CancellationToken cancellationToken)
    {
        var lsn = ParseLsn(applied);
        while (_readCommits.TryPeek(out var commit) && commit.End <= lsn)
        {
            _acknowledgedCommitTime = _readCommits.Dequeue().CommitTime;
        }

        try
        {
            if (_replication is not null && _replicationStreamed && _pumpTask is { IsCompleted: false })
            {
                _replication.SetReplicationStatus(lsn);
                try
                {
                    await _replication.SendStatusUpdate(cancellationToken).ConfigureAwait(false);
                }
                catch (InvalidOperationException)
                {
                    // The pump has not started the stream yet: its periodic status update carries the position.
                }

                return;
            }

            // No stream running (acknowledged right after the copy, or after a failure): move the inactive slot itself.
            await using var command = new NpgsqlCommand(
                "SELECT pg_replication_slot_advance(slot_name, $2::pg_lsn) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active AND confirmed_flush_lsn < $2::pg_lsn", _sql)
            {
                Parameters = { new() { Value = Name }, new() { Value = lsn.ToString() } },
            };
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (PostgreSqlErrors.IsPostgreSqlFailure(ex))
        {
            throw Connector.Wrap(ex, $"acknowledging {lsn} to replication slot {Name}");
        }
    }

    /// <summary>
    /// The server's WAL insert position (<c>pg_current_wal_insert_lsn()</c>, not <c>pg_current_wal_lsn()</c>: under
    /// <c>synchronous_commit=off</c> a commit is visible before its WAL is written, and the write position would be
    /// short of it). After reading it this writes a fence (<c>pg_logical_emit_message</c>, not transactional) that the
    /// stream delivers even when no followed table changes, so the position moves past the target. One round trip on
    /// a kept-open connection; when nothing was written since this source's last fence (the insert position has not
    /// passed its end) and the stream delivered that fence, no new fence is written and the target is the fence's
    /// start: every commit lies before it, and a mirror that applied through it answers at once, with no wait.
    /// </summary>
    public async Task<SidecarPosition> CurrentPositionAsync(CancellationToken cancellationToken)
    {
        var connector = Connector;
        await _positionGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _positionConnection ??= await connector.OpenAsync(cancellationToken).ConfigureAwait(false);
            var quiet = Volatile.Read(ref _lastFence) is { Start: { } } last ? last : null;
            var id = $"{_fenceSession}:{++_fenceCounter}";

            // OFFSET 0 keeps the subquery whole, so the insert position is read once, before the fence is written.
            await using var command = new NpgsqlCommand(
                $"SELECT l::text, CASE WHEN l > $1::pg_lsn THEN pg_logical_emit_message(false, '{PostgreSqlReplicationPump.FencePrefix}', $2)::text END FROM (SELECT pg_current_wal_insert_lsn() AS l OFFSET 0) AS probe",
                _positionConnection)
            {
                Parameters = { new() { Value = (quiet?.End ?? default).ToString() }, new() { Value = id } },
            };
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (reader.IsDBNull(1))
            {
                return new SidecarPosition(quiet!.Start!.Value.ToString());
            }

            Volatile.Write(ref _lastFence, new PostgreSqlWrittenFence(id, NpgsqlLogSequenceNumber.Parse(reader.GetString(1)), null));
            return new SidecarPosition(reader.GetString(0));
        }
        catch (Exception ex) when (PostgreSqlErrors.IsPostgreSqlFailure(ex))
        {
            await (_positionConnection?.DisposeAsync() ?? ValueTask.CompletedTask).ConfigureAwait(false);
            _positionConnection = null;
            throw connector.Wrap(ex, "reading the current WAL position of the PostgreSQL source");
        }
        finally
        {
            _positionGate.Release();
        }
    }

    public bool Covers(SidecarPosition applied, SidecarPosition target)
        => applied.Value.Length > 0 && (target.Value.Length == 0 || ParseLsn(applied) >= ParseLsn(target));

    /// <summary>The slot's lag behind the server, for status (null when the slot does not exist).</summary>
    internal async Task<PostgreSqlSlotLag?> SlotLagAsync(CancellationToken cancellationToken)
    {
        var connector = Connector;
        await _positionGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _positionConnection ??= await connector.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(
                "SELECT coalesce(confirmed_flush_lsn::text, ''), coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn), 0)::bigint, active, now() FROM pg_replication_slots WHERE slot_name = $1",
                _positionConnection)
            {
                Parameters = { new() { Value = Name } },
            };
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var bytes = reader.GetInt64(1);
            var now = reader.GetFieldValue<DateTimeOffset>(3);
            TimeSpan? time = bytes <= 0 ? TimeSpan.Zero : _acknowledgedCommitTime is { } acknowledged ? now - acknowledged : null;
            return new PostgreSqlSlotLag(Name, reader.GetString(0), bytes, time, reader.GetBoolean(2));
        }
        catch (Exception ex) when (PostgreSqlErrors.IsPostgreSqlFailure(ex))
        {
            throw connector.Wrap(ex, $"reading the lag of replication slot {Name}");
        }
        finally
        {
            _positionGate.Release();
        }
    }

    /// <summary>
    /// Drops the replication slot and the publication (the explicit API the pipeline exposes; never done silently).
    /// The stream stops first; PostgreSQL keeps no more WAL for this mirror afterwards.
    /// </summary>
    internal async Task DropReplicationAsync(CancellationToken cancellationToken)
    {
        await StopStreamAsync().ConfigureAwait(false);
        await (_replication?.DisposeAsync() ?? ValueTask.CompletedTask).ConfigureAwait(false);
        _replication = null;
        var sql = _sql ?? throw new InvalidOperationException("OpenAsync first");
        try
        {
            // A walsender that just ended may still hold the slot for a moment (55006: object in use).
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await using var drop = new NpgsqlCommand("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1", sql) { Parameters = { new() { Value = Name } } };
                    await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 50)
                {
                    await Task.Delay(100, cancellationToken).ConfigureAwait(false);
                }
            }

            await using var dropPublication = new NpgsqlCommand($"DROP PUBLICATION IF EXISTS {PostgreSqlCatalog.QuoteIdentifier(Name)}", sql);
            await dropPublication.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (PostgreSqlErrors.IsPostgreSqlFailure(ex))
        {
            throw Connector.Wrap(ex, $"dropping replication slot and publication {Name}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopStreamAsync().ConfigureAwait(false);
        await (_replication?.DisposeAsync() ?? ValueTask.CompletedTask).ConfigureAwait(false);
        await (_sql?.DisposeAsync() ?? ValueTask.CompletedTask).ConfigureAwait(false);
        await (_positionConnection?.DisposeAsync() ?? ValueTask.CompletedTask).ConfigureAwait(false);
        _replication = null;
        _sql = null;
        _positionConnection = null;
        _positionGate.Dispose();
    }

    public override string ToString() => _connector is null ? Kind : $"{Kind} {_connector.Describe()} slot {Name}";

    /// <summary>Learns where the stream put this source's last fence (a fence of another source, or an older one, is passed over).</summary>
    private void NoteStreamedFence(PostgreSqlReplicationEvent.Fence fence)
    {
        var last = Volatile.Read(ref _lastFence);
        if (last is { Start: null } && last.Id == fence.Id)
        {
            Interlocked.CompareExchange(ref _lastFence, last with { Start = fence.Lsn }, last);
        }
    }

    private SidecarBatch Batch(List<SidecarChange> changes, NpgsqlLogSequenceNumber position, List<SidecarTable> schemaChanges)
    {
        changes.RemoveAll(c => Quarantine.Contains(c.Table));
        return new SidecarBatch(changes, new SidecarPosition(position.ToString()), schemaChanges);
    }

    private async Task StartStreamAsync(NpgsqlLogSequenceNumber? after, CancellationToken cancellationToken)
    {
        await StopStreamAsync().ConfigureAwait(false);
        try
        {
            if (await PostgreSqlReplicationSetup.SlotAsync(_sql ?? throw new InvalidOperationException("OpenAsync first"), Name, cancellationToken).ConfigureAwait(false) is null)
            {
                throw PostgreSqlErrors.Refuse(
                    $"replication slot {Name} does not exist, so the changes after {(after is { } a ? a.ToString() : "the copy")} are lost: the mirror must be copied again (drop its mirror file)");
            }

            // A replication connection that streamed once is not reused: a new session starts clean.
            var replication = _replication is not null && !_replicationStreamed ? _replication : await NewReplicationConnectionAsync(cancellationToken).ConfigureAwait(false);
            _replicationStreamed = true;
            // Changes travel in runs of up to 1,024: 64 events bound what waits to about 65,000 decoded changes.
            var channel = Channel.CreateBounded<PostgreSqlReplicationEvent>(new BoundedChannelOptions(StreamedEvents) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
            _pump = new PostgreSqlReplicationPump(Connector, _settings!, Quarantine, _tables, channel.Writer);
            _pumpStop = new CancellationTokenSource();
            var pump = _pump;
            var stop = _pumpStop.Token;
            _pumpTask = Task.Run(() => pump.RunAsync(replication, new PgOutputReplicationSlot(Name), after, stop), CancellationToken.None);
            _events = channel.Reader;
            _transaction.Clear();
            _carriedSchemaChanges.Clear();
            _readCommits.Clear();
            _streamedThrough = after ?? default;
            _skipCommitsBefore = after;
        }
        catch (Exception ex) when (PostgreSqlErrors.IsPostgreSqlFailure(ex))
        {
            throw Connector.Wrap(ex, $"starting replication from slot {Name}");
        }
    }

    private async Task StopStreamAsync()
    {
        if (_pumpStop is null)
        {
            return;
        }

        await _pumpStop.CancelAsync().ConfigureAwait(false);
        try
        {
            await (_pumpTask ?? Task.CompletedTask).ConfigureAwait(false);
        }
        finally
        {
            if (_pump is not null)
            {
                // Keep the table shapes relation messages taught the stream.
                _tables = new Dictionary<uint, PostgreSqlTableInfo>(_pump.Tables);
            }

            _pumpStop.Dispose();
            _pumpStop = null;
            _pumpTask = null;
            _pump = null;
            _events = null;
            await (_replication?.DisposeAsync() ?? ValueTask.CompletedTask).ConfigureAwait(false);
            _replication = null;
        }
    }

    private async Task<LogicalReplicationConnection> NewReplicationConnectionAsync(CancellationToken cancellationToken)
    {
        await (_replication?.DisposeAsync() ?? ValueTask.CompletedTask).ConfigureAwait(false);
        // Status updates every second: an acknowledgement that could not be sent at once reaches the slot soon.
        _replication = new LogicalReplicationConnection(Connector.ConnectionString) { WalReceiverStatusInterval = TimeSpan.FromSeconds(1) };
        _replicationStreamed = false;
        await _replication.Open(cancellationToken).ConfigureAwait(false);
        return _replication;
    }

    private static NpgsqlLogSequenceNumber ParseLsn(SidecarPosition position)
        => NpgsqlLogSequenceNumber.TryParse(position.Value, out var lsn)
            ? lsn
            : throw PostgreSqlErrors.Refuse("the stored sidecar position is not a PostgreSQL LSN (was the mirror made with another Sidecar Capture?)");
}
