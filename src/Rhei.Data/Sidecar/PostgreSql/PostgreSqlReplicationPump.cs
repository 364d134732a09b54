using System.Threading.Channels;
using Npgsql;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;
using Npgsql.Replication.PgOutput.Messages;
using NpgsqlTypes;

namespace Rhei.Data.Sidecar.PostgreSql;

/// <summary>
/// Reads the pgoutput stream of one replication session and turns it into <see cref="PostgreSqlReplicationEvent"/>s
/// on a bounded channel (so memory stays bounded while the mirror applies). Npgsql hands over each message's values
/// as a stream that must be read before the next message, so the decoding happens here, as the messages arrive:
/// inserts and updates become upserts of the whole row (an unchanged TOASTed value is
/// <see cref="SidecarUnchangedValue.Instance"/>; an update that changed the key is a delete of the old key first),
/// deletes become deletes of the key, a truncate a delete with an empty key (every row of the table), and a relation
/// message whose columns differ from what the table had a schema change. Only committed transactions are streamed
/// (protocol 1, no streaming of transactions in progress), so a rolled-back transaction never appears.
/// </summary>
internal sealed class PostgreSqlReplicationPump
{
    /// <summary>The logical decoding message prefix <c>CurrentPositionAsync</c> writes as a fence.</summary>
    public const string FencePrefix = "rhei.fence";

    /// <summary>Changes per <see cref="PostgreSqlReplicationEvent.Changes"/> event (a run ends earlier at any other event).</summary>
    public const int ChangesPerEvent = 1024;

    private const string TypesSql = """
        SELECT u.i, t.typname, t.typtype::text, e.typname, e.typtype::text, format_type(u.oid, u.mod)
        FROM unnest($1::oid[], $2::int[]) WITH ORDINALITY AS u(oid, mod, i)
        JOIN pg_type t ON t.oid = u.oid
        LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A'
        """;

    private readonly PostgreSqlConnector _connector;
    private readonly SidecarSettings _settings;
    private readonly PostgreSqlQuarantine _quarantine;
    private readonly Dictionary<uint, PostgreSqlTableInfo> _tables;
    private readonly Dictionary<uint, RelationState> _relations = [];
    private readonly ChannelWriter<PostgreSqlReplicationEvent> _events;
    private NpgsqlConnection? _catalog;
    private DateTimeOffset _commitTime;
    private List<SidecarChange> _run = new(ChangesPerEvent);

    public PostgreSqlReplicationPump(
        PostgreSqlConnector connector, SidecarSettings settings, PostgreSqlQuarantine quarantine, IReadOnlyDictionary<uint, PostgreSqlTableInfo> tables, ChannelWriter<PostgreSqlReplicationEvent> events)
    {
        _connector = connector;
        _settings = settings;
        _quarantine = quarantine;
        _tables = new Dictionary<uint, PostgreSqlTableInfo>(tables);
        _events = events;
    }

    /// <summary>The current shape of each followed table, by relation oid (relation messages update it).</summary>
    public IReadOnlyDictionary<uint, PostgreSqlTableInfo> Tables => _tables;

    /// <summary>Streams from <paramref name="start"/> until cancelled or the stream fails (the failure is the last event).</summary>
    public async Task RunAsync(LogicalReplicationConnection replication, PgOutputReplicationSlot slot, NpgsqlLogSequenceNumber? start, CancellationToken cancellationToken)
    {
        try
        {
            var options = new PgOutputReplicationOptions(_settings.ReplicationName, PgOutputProtocolVersion.V1, binary: true, messages: true);
            await foreach (var message in replication.StartReplication(slot, options, cancellationToken, start).ConfigureAwait(false))
            {
                await HandleAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the source (dispose, restart from an earlier position, drop).
        }
        catch (Exception ex)
        {
            var error = PostgreSqlErrors.IsPostgreSqlFailure(ex) ? _connector.Wrap(ex, $"streaming changes from replication slot {_settings.ReplicationName}") : ex;
            // After the events before it; a full channel cannot lose it, as completing with the error cannot fail.
            if (!_events.TryWrite(new PostgreSqlReplicationEvent.Failure(error)))
            {
                _events.TryComplete(error);
            }
        }
        finally
        {
            _events.TryComplete();
            await (_catalog?.DisposeAsync() ?? ValueTask.CompletedTask).ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(PgOutputReplicationMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case BeginMessage begin:
                _commitTime = new DateTimeOffset(DateTime.SpecifyKind(begin.TransactionCommitTimestamp, DateTimeKind.Utc));
                break;
            case CommitMessage commit:
                await WriteAsync(new PostgreSqlReplicationEvent.Commit(commit.CommitLsn, commit.TransactionEndLsn, _commitTime), cancellationToken).ConfigureAwait(false);
                break;
            case RelationMessage relation:
                await OnRelationAsync(relation, cancellationToken).ConfigureAwait(false);
                break;
            case InsertMessage insert when Followed(insert.Relation) is { } state:
                if (await ReadTupleAsync(insert.NewRow, state, cancellationToken).ConfigureAwait(false) is { } inserted)
                {
                    await UpsertAsync(state, inserted, cancellationToken).ConfigureAwait(false);
                }

                break;
            case IndexUpdateMessage update when Followed(update.Relation) is { } state:
                await UpdateAsync(state, await ReadTupleAsync(update.Key, state, cancellationToken).ConfigureAwait(false), update.NewRow, cancellationToken).ConfigureAwait(false);
                break;
            case FullUpdateMessage update when Followed(update.Relation) is { } state:
                await UpdateAsync(state, await ReadTupleAsync(update.OldRow, state, cancellationToken).ConfigureAwait(false), update.NewRow, cancellationToken).ConfigureAwait(false);
                break;
            case UpdateMessage update when Followed(update.Relation) is { } state:
                await UpdateAsync(state, null, update.NewRow, cancellationToken).ConfigureAwait(false);
                break;
            case KeyDeleteMessage delete when Followed(delete.Relation) is { } state:
                await DeleteAsync(state, await ReadTupleAsync(delete.Key, state, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                break;
            case FullDeleteMessage delete when Followed(delete.Relation) is { } state:
                await DeleteAsync(state, await ReadTupleAsync(delete.OldRow, state, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                break;
            case TruncateMessage truncate:
                foreach (var relation in truncate.Relations)
                {
                    if (Followed(relation) is { } state)
                    {
                        await AddAsync(new SidecarChange(SidecarChangeKind.Delete, state.Info.Table.Name, [], null, _commitTime), cancellationToken).ConfigureAwait(false);
                    }
                }

                break;
            case LogicalDecodingMessage { Prefix: FencePrefix } fence:
                string id;
                using (var content = new StreamReader(fence.Data, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true))
                {
                    id = await content.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
                }

                await WriteAsync(new PostgreSqlReplicationEvent.Fence(fence.MessageLsn, id), cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private RelationState? Followed(RelationMessage relation)
        => _relations.TryGetValue(relation.RelationId, out var state) && !_quarantine.Contains(state.Info.Table.Name) ? state : null;

    private ValueTask UpsertAsync(RelationState state, object?[] values, CancellationToken cancellationToken)
        => AddAsync(new SidecarChange(SidecarChangeKind.Upsert, state.Info.Table.Name, KeyOf(state, values), values, _commitTime), cancellationToken);

    private static object?[] KeyOf(RelationState state, object?[] values)
    {
        var ordinals = state.Info.KeyOrdinals;
        var key = new object?[ordinals.Length];
        for (var k = 0; k < key.Length; k++)
        {
            key[k] = values[ordinals[k]];
        }

        return key;
    }

    /// <summary>Adds a change to the current run, handing the run over once it is full.</summary>
    private ValueTask AddAsync(SidecarChange change, CancellationToken cancellationToken)
    {
        _run.Add(change);
        return _run.Count >= ChangesPerEvent ? FlushRunAsync(cancellationToken) : ValueTask.CompletedTask;
    }

    /// <summary>Writes an event of another kind after the changes before it.</summary>
    private async ValueTask WriteAsync(PostgreSqlReplicationEvent next, CancellationToken cancellationToken)
    {
        await FlushRunAsync(cancellationToken).ConfigureAwait(false);
        await _events.WriteAsync(next, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask FlushRunAsync(CancellationToken cancellationToken)
    {
        if (_run.Count == 0)
        {
            return;
        }

        // The reader keeps the list it receives (it moves its changes into the transaction), so a new one follows.
        var run = _run;
        _run = new List<SidecarChange>(ChangesPerEvent);
        await _events.WriteAsync(new PostgreSqlReplicationEvent.Changes(run), cancellationToken).ConfigureAwait(false);
    }

    private async Task UpdateAsync(RelationState state, object?[]? old, ReplicationTuple newRow, CancellationToken cancellationToken)
    {
        if (await ReadTupleAsync(newRow, state, cancellationToken).ConfigureAwait(false) is not { } values)
        {
            return;
        }

        if (old is not null && state.Info.KeyOrdinals.Any(o => !KeyPartEquals(old[o], values[o])))
        {
            await DeleteAsync(state, old, cancellationToken).ConfigureAwait(false);
        }

        await UpsertAsync(state, values, cancellationToken).ConfigureAwait(false);
    }

    private async Task DeleteAsync(RelationState state, object?[]? identity, CancellationToken cancellationToken)
    {
        if (identity is null)
        {
            return;
        }

        await AddAsync(new SidecarChange(SidecarChangeKind.Delete, state.Info.Table.Name, KeyOf(state, identity), null, _commitTime), cancellationToken).ConfigureAwait(false);
    }

    private static bool KeyPartEquals(object? a, object? b)
        => a is byte[] x && b is byte[] y ? x.AsSpan().SequenceEqual(y) : Equals(a, b);

    /// <summary>Reads a tuple into the table's column order; null (and the table quarantined) when a value cannot map.</summary>
    private async Task<object?[]?> ReadTupleAsync(ReplicationTuple tuple, RelationState state, CancellationToken cancellationToken)
    {
        var values = new object?[state.Info.Types.Length];
        var index = 0;
        string? failure = null;
        await foreach (var value in tuple.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var ours = index < state.Map.Length ? state.Map[index] : -1;
            index++;
            if (ours < 0 || failure is not null)
            {
                // Npgsql skips a value that is not read.
                continue;
            }

            try
            {
                values[ours] = await PostgreSqlValueReader.ReadReplicatedAsync(value, state.Info.Types[ours], cancellationToken).ConfigureAwait(false);
            }
            catch (PostgreSqlUnmappableValueException ex)
            {
                failure = $"column {state.Info.Table.Columns[ours].Name}: {ex.Message}";
            }
        }

        if (failure is not null)
        {
            _quarantine.Add(state.Info.Table.Name, failure);
            return null;
        }

        return values;
    }

    /// <summary>
    /// A relation message precedes the first change of a table in each session and follows DDL: maps its columns
    /// (types by oid from the catalog) and reports a schema change when they differ from the table's known shape.
    /// </summary>
    private async Task OnRelationAsync(RelationMessage relation, CancellationToken cancellationToken)
    {
        if (!_tables.TryGetValue(relation.RelationId, out var info) || _quarantine.Contains(info.Table.Name))
        {
            return;
        }

        var columns = relation.Columns;
        var resolved = await ResolveTypesAsync(columns, cancellationToken).ConfigureAwait(false);
        _settings.TableSettings.TryGetValue(info.Table.Name, out var tableSettings);
        var map = new int[columns.Count];
        var newColumns = new List<SidecarColumn>();
        var newTypes = new List<PostgreSqlColumnType>();
        for (var i = 0; i < columns.Count; i++)
        {
            var name = columns[i].ColumnName;
            if (tableSettings?.Columns is { } wanted && !wanted.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                map[i] = -1;
                continue;
            }

            var (type, sourceType, reason) = resolved[i];
            if (type is null)
            {
                _quarantine.Add(info.Table.Name, $"column {name} ({sourceType}): {reason}");
                return;
            }

            var known = info.Table.Columns.FirstOrDefault(c => c.Name == name);
            map[i] = newColumns.Count;
            newColumns.Add(new SidecarColumn(name, sourceType, type.DuckDbType, known?.IsNullable ?? true));
            newTypes.Add(type);
        }

        var missingKey = info.Table.PrimaryKey.FirstOrDefault(k => !newColumns.Any(c => c.Name == k));
        if (missingKey is not null)
        {
            _quarantine.Add(info.Table.Name, $"key column {missingKey} is gone from the source table");
            return;
        }

        var changed = newColumns.Count != info.Table.Columns.Count
            || newColumns.Where((c, i) => c.Name != info.Table.Columns[i].Name || c.DuckDbType != info.Table.Columns[i].DuckDbType).Any();
        if (changed)
        {
            info = info with { Table = info.Table with { Columns = newColumns }, Types = [.. newTypes] };
            _tables[relation.RelationId] = info;
            await WriteAsync(new PostgreSqlReplicationEvent.SchemaChange(info.Table), cancellationToken).ConfigureAwait(false);
        }

        _relations[relation.RelationId] = new RelationState(info, map);
    }

    private async Task<(PostgreSqlColumnType? Type, string SourceType, string? Reason)[]> ResolveTypesAsync(IReadOnlyList<RelationMessage.Column> columns, CancellationToken cancellationToken)
    {
        _catalog ??= await _connector.OpenAsync(cancellationToken).ConfigureAwait(false);
        var result = new (PostgreSqlColumnType?, string, string?)[columns.Count];
        await using var command = new NpgsqlCommand(TypesSql, _catalog);
        command.Parameters.Add(new NpgsqlParameter { Value = columns.Select(c => c.DataTypeId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Oid });
        command.Parameters.Add(new NpgsqlParameter { Value = columns.Select(c => c.TypeModifier).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var i = (int)reader.GetInt64(0) - 1;
            var type = PostgreSqlTypeMap.Map(reader.GetString(1), reader.GetString(2)[0], columns[i].TypeModifier,
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)[0], out var reason);
            result[i] = (type, reader.GetString(5), reason);
        }

        return result;
    }

    /// <summary>A followed relation in this session: its table and, per relation column, the table column it fills (-1: not followed).</summary>
    private sealed record RelationState(PostgreSqlTableInfo Info, int[] Map);
}
