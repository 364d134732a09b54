using Npgsql;

namespace Rhei.Data.Sidecar.PostgreSql;

/// <summary>
/// Follows a PostgreSQL server by polling each table's compound watermark <c>(updated_at, key…)</c> (rhei's
/// timestamp capture): rows after the watermark in that order, at most <c>Sidecar Poll Batch Size</c> at a time
/// (keyset pagination, so rows sharing one <c>updated_at</c> are neither skipped nor repeated). The initial copy
/// streams every table by binary COPY from one REPEATABLE READ snapshot and takes each table's watermark from the
/// same snapshot. Polls are binary COPYs of the keyset query too, with the watermark inlined as a literal cast to
/// the column's type (COPY takes no parameters; the literal is PostgreSQL's own text of the value, quoted).
/// With <c>Delete Detection=SoftDelete</c> a row whose soft-delete column is set (not null, not false) is a delete
/// (and is not copied); with <c>KeyScan</c>, <see cref="CopyKeysAsync"/> streams the current key set. A row whose <c>updated_at</c> is NULL is copied but never polled; like any timestamp
/// capture, a transaction that commits after a later <c>updated_at</c> was polled is missed: logical replication
/// has neither limit.
/// </summary>
internal sealed class PostgreSqlTimestampSource : ISidecarSource
{
    private readonly SemaphoreSlim _currentPositionGate = new(1, 1);
    private readonly Dictionary<string, PolledTable> _tables = new(StringComparer.Ordinal);
    private PostgreSqlConnector? _connector;
    private NpgsqlConnection? _pollConnection;
    private NpgsqlConnection? _positionConnection;
    private SidecarSettings? _settings;
    private Dictionary<uint, string> _columnSignatures = [];
    private int _nextTable;

    public string Kind => "PostgreSQL (timestamp capture)";

    /// <summary>Tables this source stopped delivering, and why (see <see cref="PostgreSqlQuarantine"/>).</summary>
    public PostgreSqlQuarantine Quarantine { get; } = new();

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> QuarantinedTables => Quarantine.Tables;

    public async Task<IReadOnlyList<SidecarTable>> OpenAsync(SidecarSettings settings, CancellationToken cancellationToken)
    {
        _settings = settings;
        _connector = new PostgreSqlConnector(settings.Source);
        _pollConnection = await _connector.OpenAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<PostgreSqlTableInfo> described;
        try
        {
            described = await PostgreSqlCatalog.DescribeAsync(_pollConnection, settings, Quarantine, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (PostgreSqlErrors.IsPostgreSqlFailure(ex))
        {
            throw _connector.Wrap(ex, "describing the followed tables of the PostgreSQL source");
        }

        var result = new List<SidecarTable>(described.Count);
        foreach (var info in described)
        {
            var polled = PolledTable.Create(info, settings);
            _tables[info.Table.Name] = polled;
            result.Add(polled.Info.Table);
        }

        try
        {
            _columnSignatures = await ReadColumnSignaturesAsync(_pollConnection, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (PostgreSqlErrors.IsPostgreSqlFailure(ex))
        {
            throw _connector.Wrap(ex, "reading the column signatures of the followed tables");
        }

        return result;
    }

    public async Task<SidecarPosition> CopyAsync(IReadOnlyList<SidecarTable> tables, ISidecarRowSink sink, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var connector = _connector ?? throw new InvalidOperationException("OpenAsync first");
        await using var connection = await connector.OpenAsync(cancellationToken).ConfigureAwait(false);
        var watermarks = PostgreSqlWatermarks.Empty();
        long copied = 0;
        var doing = "starting the initial copy";
        try
        {
            // The transaction's snapshot is exported as its first statement: a large table is copied in ctid ranges on
            // more connections importing it, and each watermark is read here, in that same snapshot.
            await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            await using (var copySnapshot = await PostgreSqlCopySnapshot.CreateAsync(connector, connection, null, cancellationToken).ConfigureAwait(false))
            {
                foreach (var table in tables)
                {
                    var polled = Polled(table.Name);
                    doing = $"copying table {table.Name}";
                    copied = await PostgreSqlCopy.CopyTableAsync(copySnapshot, polled.Info, sink, Quarantine, _settings!.DeleteDetection == SidecarDeleteDetection.SoftDelete ? polled.IsSoftDeleted : null, progress, copied, cancellationToken).ConfigureAwait(false);
                    doing = $"reading the watermark of table {table.Name}";
                    await ReadMaxWatermarkAsync(connection, polled, watermarks, cancellationToken).ConfigureAwait(false);
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (PostgreSqlErrors.IsPostgreSqlFailure(ex))
        {
            throw connector.Wrap(ex, doing);
        }

        progress?.Report(copied);
        return watermarks.ToPosition();
    }

    public async Task<SidecarBatch> ReadAsync(SidecarPosition after, int maxChanges, CancellationToken cancellationToken)
    {
        var connection = _pollConnection ?? throw new InvalidOperationException("OpenAsync first");
        var watermarks = PostgreSqlWatermarks.Parse(after);
        var changes = new List<SidecarChange>();
        var staged = new List<SidecarStagedRows>();
        if (_tables.Count == 0)
        {
            return SidecarBatch.Empty(after);
        }

        List<SidecarTable> schemaChanges;
        try
        {
            schemaChanges = await EvolveAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (PostgreSqlErrors.IsPostgreSqlFailure(ex))
        {
            throw _connector!.Wrap(ex, "checking the followed tables' columns");
        }

        // Start at a different table each call, so one busy table cannot starve the others.
        var order = _tables.Values.ToList();
        var start = _nextTable++ % order.Count;
        var read = 0;
        try
        {
            for (var i = 0; i < order.Count && read < maxChanges; i++)
            {
                var table = order[(start + i) % order.Count];
                if (Quarantine.Contains(table.Info.Table.Name))
                {
                    continue;
                }

                try
                {
                    if (StageRows && PostgreSqlCopyChunk.Covers(table.Info.Types))
                    {
                        read += await PollTableStagedAsync(connection, table, watermarks, maxChanges - read, staged, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        var before = changes.Count;
                        await PollTableAsync(connection, table, watermarks, maxChanges - read, changes, cancellationToken).ConfigureAwait(false);
                        read += changes.Count - before;
                    }
                }
                catch (Exception ex) when (PostgreSqlErrors.IsPostgreSqlFailure(ex))
                {
                    throw _connector!.Wrap(ex, $"polling table {table.Info.Table.Name}");
                }
            }
        }
        catch
        {
            staged.ForEach(s => s.Dispose());
            throw;
        }

        return new SidecarBatch(changes, watermarks.ToPosition(), schemaChanges) { Staged = staged };
    }

    /// <summary>
    /// Whether polls read rows straight into data chunks (<see cref="SidecarStagedRows"/>, set by the pipeline, which
    /// applies them) rather than as <see cref="SidecarChange"/>s; a table with a column the chunk does not cover is
    /// polled as changes either way.
    /// </summary>
    public bool StageRows { get; set; }

    public Task AcknowledgeAsync(SidecarPosition applied, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<SidecarPosition> CurrentPositionAsync(CancellationToken cancellationToken)
    {
        var connector = _connector ?? throw new InvalidOperationException("OpenAsync first");
        await _currentPositionGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _positionConnection ??= await connector.OpenAsync(cancellationToken).ConfigureAwait(false);
            var watermarks = PostgreSqlWatermarks.Empty();
            foreach (var table in _tables.Values.Where(t => !Quarantine.Contains(t.Info.Table.Name)))
            {
                await ReadMaxWatermarkAsync(_positionConnection, table, watermarks, cancellationToken).ConfigureAwait(false);
            }

            return watermarks.ToPosition();
        }
        catch (Exception ex) when (PostgreSqlErrors.IsPostgreSqlFailure(ex))
        {
            await (_positionConnection?.DisposeAsync() ?? ValueTask.CompletedTask).ConfigureAwait(false);
            _positionConnection = null;
            throw connector.Wrap(ex, "reading the current watermarks of the PostgreSQL source");
        }
        finally
        {
            _currentPositionGate.Release();
        }
    }

    public bool Covers(SidecarPosition applied, SidecarPosition target)
        => PostgreSqlWatermarks.Covers(PostgreSqlWatermarks.Parse(applied), PostgreSqlWatermarks.Parse(target));

    /// <summary>
    /// Key scan (<c>Delete Detection=KeyScan</c>): every key of the table as it stands now, by one binary COPY of the key
    /// columns streamed into the sink (one key in memory at a time; the mirror stages them in DuckDB). Runs on the poll
    /// connection, under the pipeline's lock, after the cycle's polls: a row the mirror holds was polled from an
    /// earlier snapshot, so a key missing here was deleted at the source. A key value that cannot map quarantines
    /// the table and fails the scan, so a partial key set never deletes anything.
    /// </summary>
    public async Task CopyKeysAsync(SidecarTable table, ISidecarRowSink sink, CancellationToken cancellationToken)
    {
        var connection = _pollConnection ?? throw new InvalidOperationException("OpenAsync first");
        var info = Polled(table.Name).Info;
        var ordinals = info.KeyOrdinals;
        var select = string.Join(", ", ordinals.Select(o => PostgreSqlCatalog.QuoteIdentifier(info.Table.Columns[o].Name) + (info.Types[o].CopiedAsText ? "::text" : "")));
        var key = new object?[ordinals.Length];
        try
        {
            await using var exporter = await connection.BeginBinaryExportAsync($"COPY (SELECT {select} FROM {info.QuotedName}) TO STDOUT (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
            while (await exporter.StartRowAsync(cancellationToken).ConfigureAwait(false) >= 0)
            {
                for (var k = 0; k < key.Length; k++)
                {
                    key[k] = await PostgreSqlValueReader.ReadCopiedAsync(exporter, info.Types[ordinals[k]], cancellationToken).ConfigureAwait(false);
                }

                sink.Append(table, key);
            }
        }
        catch (PostgreSqlUnmappableValueException ex)
        {
            Quarantine.Add(table.Name, $"key scan: {ex.Message}");
            throw PostgreSqlErrors.Refuse($"the key scan of table {table.Name} found a key the mirror cannot hold ({ex.Message}); the table is quarantined");
        }
        catch (Exception ex) when (PostgreSqlErrors.IsPostgreSqlFailure(ex))
        {
            throw _connector!.Wrap(ex, $"scanning the keys of table {table.Name}");
        }
    }

    /// <summary>Rows of each table past its watermark (what the next polls will deliver), for status and the lag gauges.</summary>
    public async Task<IReadOnlyDictionary<string, long>> PendingAsync(SidecarPosition applied, CancellationToken cancellationToken)
    {
        var connection = _pollConnection ?? throw new InvalidOperationException("OpenAsync first");
        var watermarks = PostgreSqlWatermarks.Parse(applied);
        var pending = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var table in _tables.Values.Where(t => !Quarantine.Contains(t.Info.Table.Name)))
        {
            var name = table.Info.Table.Name;
            try
            {
                await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table.Info.QuotedName} WHERE {After(table, watermarks)}", connection);
                pending[name] = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (PostgreSqlErrors.IsPostgreSqlFailure(ex))
            {
                throw _connector!.Wrap(ex, $"counting the pending rows of table {name}");
            }
        }

        return pending;
    }

    /// <summary>The table's compound watermark, <c>(updated_at, key…)</c> as PostgreSQL prints them, or <c>(start)</c>.</summary>
    public string DescribePosition(SidecarPosition position, string table)
        => PostgreSqlWatermarks.Parse(position).TryGet(table, out var timestamp, out var key)
            ? "(" + string.Join(", ", new[] { timestamp }.Concat(key).Select(v => "'" + v + "'")) + ")"
            : "(start)";

    public async ValueTask DisposeAsync()
    {
        await (_pollConnection?.DisposeAsync() ?? ValueTask.CompletedTask).ConfigureAwait(false);
        await (_positionConnection?.DisposeAsync() ?? ValueTask.CompletedTask).ConfigureAwait(false);
        _pollConnection = null;
        _positionConnection = null;
        _currentPositionGate.Dispose();
    }

    public override string ToString() => _connector is null ? Kind : $"{Kind} {_connector.Describe()}";

    private PolledTable Polled(string name)
        => _tables.TryGetValue(name, out var table) ? table : throw new InvalidOperationException($"table {name} was not described by OpenAsync");

    private async Task PollTableAsync(NpgsqlConnection connection, PolledTable table, PostgreSqlWatermarks watermarks, int limit, List<SidecarChange> changes, CancellationToken cancellationToken)
    {
        var name = table.Info.Table.Name;
        var sql = $"COPY (SELECT {table.Info.SelectList}, {table.WatermarkTexts} FROM {table.Info.QuotedName} WHERE {After(table, watermarks)} ORDER BY {table.WatermarkColumns} LIMIT {limit}) TO STDOUT (FORMAT BINARY)";
        var columnCount = table.Info.Types.Length;
        await using var exporter = await connection.BeginBinaryExportAsync(sql, cancellationToken).ConfigureAwait(false);
        while (await exporter.StartRowAsync(cancellationToken).ConfigureAwait(false) >= 0)
        {
            var values = new object?[columnCount];
            var mapped = await PostgreSqlCopy.ReadRowAsync(exporter, table.Info, Quarantine, values, cancellationToken).ConfigureAwait(false);
            var newTimestamp = await exporter.ReadAsync<string>(cancellationToken).ConfigureAwait(false);
            var newKey = new string[table.KeyOrdinals.Length];
            for (var k = 0; k < newKey.Length; k++)
            {
                newKey[k] = await exporter.ReadAsync<string>(cancellationToken).ConfigureAwait(false);
            }

            if (!mapped)
            {
                // The table is quarantined now: what it read in this call is not delivered.
                changes.RemoveAll(c => c.Table == name);
                continue;
            }

            watermarks.Set(name, newTimestamp, newKey);
            var keyValues = table.KeyOrdinals.Select(o => values[o]).ToArray();
            var commitTime = table.CommitTime(values);
            changes.Add(table.IsSoftDeleted(values)
                ? new SidecarChange(SidecarChangeKind.Delete, name, keyValues, null, commitTime)
                : new SidecarChange(SidecarChangeKind.Upsert, name, keyValues, values, commitTime));
        }
    }

    /// <summary>
    /// The poll of one table read typed into data chunks (<see cref="PostgreSqlCopyChunk"/>): the same keyset COPY as
    /// <see cref="PollTableAsync"/>, with the change time and soft-delete flag computed by the server after the row.
    /// A value that cannot map quarantines the table and nothing it read in this call is delivered. Returns the rows staged.
    /// </summary>
    private async Task<int> PollTableStagedAsync(NpgsqlConnection connection, PolledTable table, PostgreSqlWatermarks watermarks, int limit, List<SidecarStagedRows> staged, CancellationToken cancellationToken)
    {
        var info = table.Info;
        var name = info.Table.Name;
        var sql = $"COPY (SELECT {info.SelectList}, {table.StagingFlags}, {table.WatermarkTexts} FROM {info.QuotedName} WHERE {After(table, watermarks)} ORDER BY {table.WatermarkColumns} LIMIT {limit}) TO STDOUT (FORMAT BINARY)";
        var rows = new SidecarStagedRows(info.Table, SidecarMirrorTable.From(info.Table).Schema);
        var failed = false;
        var columns = info.Types.Length;
        var key = new string[table.KeyOrdinals.Length];
        try
        {
            // The row's columns, then _rhei_time, _rhei_deleted and the watermark's texts (updated_at, then the key).
            await using var reader = await PostgreSqlCopyStreamReader.StartAsync(connection, sql, columns + 3 + key.Length, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                while (!failed && reader.TryReadTuple(out var fields))
                {
                    var chunk = rows.CopyChunk(info.Types);
                    try
                    {
                        chunk.AddRow(fields);
                    }
                    catch (PostgreSqlUnmappableValueException ex)
                    {
                        Quarantine.Add(name, $"column {info.Table.Columns[chunk.FailedColumn].Name}: {ex.Message}");
                        failed = true;
                        break;
                    }

                    var trailer = PostgreSqlCopyFields.Skip(fields, columns);
                    var time = PostgreSqlCopyFields.Int64(ref trailer) ?? SidecarStagedRows.UnknownTime;
                    var deleted = PostgreSqlCopyFields.Boolean(ref trailer) ?? false;
                    var timestamp = PostgreSqlCopyFields.Text(ref trailer) ?? string.Empty;
                    for (var k = 0; k < key.Length; k++)
                    {
                        key[k] = PostgreSqlCopyFields.Text(ref trailer) ?? string.Empty;
                    }

                    rows.Added(deleted, time);
                    watermarks.Set(name, timestamp, [.. key]);
                }

                if (failed || reader.Finished)
                {
                    // Quarantined: the rest is read without decoding so the connection stays usable.
                    await reader.DrainAsync(cancellationToken).ConfigureAwait(false);
                    break;
                }

                if (!await reader.FillAsync(cancellationToken).ConfigureAwait(false) && !reader.Finished)
                {
                    throw new NpgsqlException($"the poll of table {name} ended before its COPY trailer");
                }
            }
        }
        catch
        {
            rows.Dispose();
            throw;
        }

        if (failed || rows.Count == 0)
        {
            // Quarantined now (what it read in this call is not delivered), or nothing new.
            rows.Dispose();
            return 0;
        }

        staged.Add(rows);
        return rows.Count;
    }

    /// <summary>
    /// A column added, dropped or retyped at the source (DDL): one catalog query per read compares each followed
    /// table's columns (number, type, modifier) with what was described; a table that changed is described again,
    /// polled with its new select list from now on, and reported as a schema change, which the mirror applies before
    /// the batch's rows. A new column whose type has no mapping quarantines the table (as when it is first described).
    /// </summary>
    private async Task<List<SidecarTable>> EvolveAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var signatures = await ReadColumnSignaturesAsync(connection, cancellationToken).ConfigureAwait(false);
        var changed = _tables.Values
            .Where(t => !Quarantine.Contains(t.Info.Table.Name) && signatures.GetValueOrDefault(t.Info.Oid) != _columnSignatures.GetValueOrDefault(t.Info.Oid))
            .Select(t => t.Info.Table.Name)
            .ToArray();
        _columnSignatures = signatures;
        if (changed.Length == 0)
        {
            return [];
        }

        var settings = _settings! with { Tables = changed };
        var described = await PostgreSqlCatalog.DescribeAsync(connection, settings, Quarantine, cancellationToken).ConfigureAwait(false);
        var evolved = new List<SidecarTable>();
        foreach (var info in described)
        {
            var polled = PolledTable.Create(info, settings);
            if (!SameShape(_tables[info.Table.Name].Info.Table, polled.Info.Table))
            {
                _tables[info.Table.Name] = polled;
                evolved.Add(polled.Info.Table);
            }
        }

        return evolved;
    }

    private static bool SameShape(SidecarTable a, SidecarTable b)
        => a.Columns.Count == b.Columns.Count && a.Columns.Zip(b.Columns).All(p => p.First.Name == p.Second.Name && p.First.DuckDbType == p.Second.DuckDbType);

    private async Task<Dictionary<uint, string>> ReadColumnSignaturesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT attrelid, string_agg(attnum || ':' || atttypid || ':' || atttypmod, ',' ORDER BY attnum)
            FROM pg_attribute WHERE attrelid = ANY($1) AND attnum > 0 AND NOT attisdropped GROUP BY attrelid
            """;
        await using var command = new NpgsqlCommand(sql, connection) 
        {
            Parameters = { new() { Value = _tables.Values.Select(t => t.Info.Oid).ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Oid } },
        };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var signatures = new Dictionary<uint, string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            signatures[reader.GetFieldValue<uint>(0)] = reader.GetString(1);
        }

        return signatures;
    }

    /// <summary>The predicate of the rows after a table's watermark (every row with an <c>updated_at</c> before its first poll).</summary>
    private static string After(PolledTable table, PostgreSqlWatermarks watermarks)
        => watermarks.TryGet(table.Info.Table.Name, out var timestamp, out var key)
            ? $"({table.WatermarkColumns}) > ({table.WatermarkLiterals(timestamp, key)})"
            : $"{table.QuotedUpdatedAt} IS NOT NULL";

    private static async Task ReadMaxWatermarkAsync(NpgsqlConnection connection, PolledTable table, PostgreSqlWatermarks watermarks, CancellationToken cancellationToken)
    {
        var descending = string.Join(", ", table.WatermarkColumns.Split(", ").Select(c => c + " DESC"));
        var sql = $"SELECT {table.WatermarkTexts} FROM {table.Info.QuotedName} WHERE {table.QuotedUpdatedAt} IS NOT NULL ORDER BY {descending} LIMIT 1";
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var key = new string[reader.FieldCount - 1];
            for (var k = 0; k < key.Length; k++)
            {
                key[k] = reader.GetString(k + 1);
            }

            watermarks.Set(table.Info.Table.Name, reader.GetString(0), key);
        }
    }
}
