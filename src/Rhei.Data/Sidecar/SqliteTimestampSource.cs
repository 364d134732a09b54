using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Rhei.Data.Oltp;
using Rhei.Data.Schema;

namespace Rhei.Data.Sidecar;

/// <summary>
/// Follows an external SQLite file by timestamp capture (rhei's <c>TimestampCdcConsumer</c>): the file is opened
/// read-only and never written; each table is polled strictly after its compound watermark <c>(updated_at, key…)</c>
/// (see <see cref="SqliteWatermarks"/>), every table of a poll in one read transaction so they agree. Mirror types are
/// the local sync's SQLite mapping, so the translator answers queries of followed tables as it does for local ones.
/// Rows whose updated-at value is NULL are copied at start but cannot be polled; a writer must set the column.
/// </summary>
internal sealed class SqliteTimestampSource : ISidecarSource
{
    // The epoch milliseconds SidecarTime reads as an instant (DateTimeOffset's range).
    private static readonly long MinEpochMilliseconds = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long MaxEpochMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    private readonly ILogger _logger;
    private readonly Dictionary<string, SqlitePolledTable> _tables = new(StringComparer.OrdinalIgnoreCase);
    private SqliteConnection? _connection;
    private SidecarSettings? _settings;
    private long _schemaVersion;

    public SqliteTimestampSource(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _logger = loggerFactory.CreateLogger("Rhei.Data.Sidecar");
    }

    public string Kind => "SQLite (timestamp)";

    /// <summary>The source file, for the read-only fallback connection and messages.</summary>
    public string? Path => _settings?.Source;

    public async Task<IReadOnlyList<SidecarTable>> OpenAsync(SidecarSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        if (!File.Exists(settings.Source))
        {
            throw new RheiException(
                $"The sidecar source SQLite file '{settings.Source}' (key 'Sidecar Source') does not exist. Name the application's database file; Rhei.Data opens it read-only and never creates it.",
                RheiException.SqliteEngineName);
        }

        try
        {
            _connection = new SqliteConnection(ReadOnlyConnectionString(settings.Source));
            await _connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            _schemaVersion = SchemaVersion();
            var tables = new List<SidecarTable>();
            foreach (var name in TableNames(settings))
            {
                if (Describe(name, explicitlyNamed: settings.Tables.Count > 0 || settings.TableSettings.ContainsKey(name)) is { } table)
                {
                    tables.Add(table);
                }
            }

            return tables;
        }
        catch (SqliteException ex)
        {
            throw new RheiException($"The sidecar source '{settings.Source}' cannot be read: {ex.Message} (engine: SQLite)", RheiException.SqliteEngineName, ex.SqliteExtendedErrorCode, ex);
        }
    }

    /// <summary>A connection string that opens <paramref name="path"/> read-only, for this source and for SQLite fallback reads.</summary>
    public static string ReadOnlyConnectionString(string path)
        => new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();

    // Pooled: a Strong read asks for the position before every analytical read, and opening a file each time would cost more than the query.
    private static string ProbeConnectionString(string path)
        => new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = true }.ToString();

    public Task<SidecarPosition> CopyAsync(IReadOnlyList<SidecarTable> tables, ISidecarRowSink sink, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var connection = Connection;
        var watermarks = SqliteWatermarks.Empty();
        long copied = 0;
        using (var transaction = connection.BeginTransaction(deferred: true))
        {
            foreach (var table in tables)
            {
                var polled = _tables[table.Name];
                var before = copied;
                if (polled.SoftDelete is null && sink is ISidecarBulkSink bulk
                    && bulk.TryLoad(table, connection, transaction, rows => { copied = before + rows; progress?.Report(copied); }, cancellationToken))
                {
                    // Every row went in as data chunks; the watermark below is read from the same snapshot.
                    CopyWatermark(polled, transaction, ref watermarks);
                    continue;
                }

                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = $"SELECT {polled.SelectList} FROM {SqlIdentifier.Quote(table.Name)}";
                using var reader = command.ExecuteReader();
                var values = new object?[table.Columns.Count];
                while (reader.Read())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (polled.IsSoftDeleted(reader))
                    {
                        continue;
                    }

                    Fill(reader, values);
                    sink.Append(table, values);
                    if (++copied % 10_000 == 0)
                    {
                        progress?.Report(copied);
                    }
                }

                CopyWatermark(polled, transaction, ref watermarks);
            }

            transaction.Commit();
        }

        progress?.Report(copied);
        return Task.FromResult(watermarks.ToPosition());
    }

    public Task<SidecarBatch> ReadAsync(SidecarPosition after, int maxChanges, CancellationToken cancellationToken)
    {
        var connection = Connection;
        var watermarks = SqliteWatermarks.Parse(after);
        var changes = new List<SidecarChange>();
        var staged = new List<SidecarStagedRows>();
        var schemaChanges = new List<SidecarTable>();
        var read = 0;
        try
        {
            using (var transaction = connection.BeginTransaction(deferred: true))
            {
                if (SchemaVersion(transaction) != _schemaVersion)
                {
                    schemaChanges.AddRange(Evolve(transaction));
                }

                foreach (var polled in _tables.Values)
                {
                    var budget = Math.Min(_settings!.PollBatchSize, maxChanges - read);
                    if (budget <= 0)
                    {
                        break;
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                    var watermark = watermarks[polled.Table.Name];
                    object?[]? last;
                    if (SqlitePolledTable.Bindable(watermark))
                    {
                        var rows = new SidecarStagedRows(polled.Table, polled.Schema);
                        staged.Add(rows);
                        (last, var count) = PollStaged(polled, watermark, budget, rows);
                        read += count;
                    }
                    else
                    {
                        var before = changes.Count;
                        last = Poll(polled, watermark, budget, changes, transaction);
                        read += changes.Count - before;
                    }

                    if (last is not null)
                    {
                        watermarks = watermarks.With(polled.Table.Name, last);
                    }
                }

                transaction.Commit();
            }
        }
        catch
        {
            staged.ForEach(s => s.Dispose());
            throw;
        }

        staged.RemoveAll(s => s.Count == 0 && s.Misfit is null && DisposeEmpty(s));
        return Task.FromResult(new SidecarBatch(changes, watermarks.ToPosition(), schemaChanges) { Staged = staged });
    }

    private static bool DisposeEmpty(SidecarStagedRows rows)
    {
        rows.Dispose();
        return true;
    }

    public Task AcknowledgeAsync(SidecarPosition applied, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<SidecarPosition> CurrentPositionAsync(CancellationToken cancellationToken)
    {
        // Its own connection: a Strong read may ask beside a running cycle.
        await using var connection = new SqliteConnection(ProbeConnectionString(_settings!.Source));
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var watermarks = SqliteWatermarks.Empty();
        using var transaction = connection.BeginTransaction(deferred: true);
        foreach (var polled in _tables.Values.ToArray())
        {
            if (HighestWatermark(polled, transaction) is { } top)
            {
                watermarks = watermarks.With(polled.Table.Name, top);
            }
        }

        return watermarks.ToPosition();
    }

    public bool Covers(SidecarPosition applied, SidecarPosition target)
        => SqliteWatermarks.Parse(applied).Covers(SqliteWatermarks.Parse(target));

    public Task CopyKeysAsync(SidecarTable table, ISidecarRowSink sink, CancellationToken cancellationToken)
    {
        var polled = _tables[table.Name];
        using var command = Connection.CreateCommand();
        command.CommandText = $"SELECT {polled.KeyList} FROM {SqlIdentifier.Quote(table.Name)}" + (polled.SoftDelete is null ? string.Empty : $" WHERE NOT ({polled.SoftDeletedPredicate})");
        using var reader = command.ExecuteReader();
        var key = new object?[table.PrimaryKey.Count];
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            Fill(reader, key);
            sink.Append(table, key);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, long>> PendingAsync(SidecarPosition applied, CancellationToken cancellationToken)
    {
        var watermarks = SqliteWatermarks.Parse(applied);
        var pending = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var polled in _tables.Values)
        {
            using var command = Connection.CreateCommand();
            var mark = watermarks[polled.Table.Name];
            command.CommandText = $"SELECT count(*) FROM {SqlIdentifier.Quote(polled.Table.Name)} WHERE {polled.After(command, mark)}";
            pending[polled.Table.Name] = (long)command.ExecuteScalar()!;
        }

        return Task.FromResult<IReadOnlyDictionary<string, long>>(pending);
    }

    public string DescribePosition(SidecarPosition position, string table)
        => SqliteWatermarks.Parse(position)[table] is { } mark ? SqliteWatermarks.Describe(mark) : "(start)";

    public ValueTask DisposeAsync()
    {
        _connection?.Dispose();
        _connection = null;
        return ValueTask.CompletedTask;
    }

    private SqliteConnection Connection => _connection ?? throw new InvalidOperationException("The sidecar source is not open.");

    private object?[]? Poll(SqlitePolledTable polled, object?[]? watermark, int budget, List<SidecarChange> changes, SqliteTransaction transaction)
    {
        using var command = Connection.CreateCommand();
        command.Transaction = transaction;
        var quoted = SqlIdentifier.Quote(polled.Table.Name);
        command.CommandText = $"SELECT {polled.SelectList} FROM {quoted} WHERE {polled.After(command, watermark)} ORDER BY {polled.OrderList} LIMIT {budget}";
        using var reader = command.ExecuteReader();
        object?[]? last = null;
        var columns = polled.Table.Columns.Count;
        while (reader.Read())
        {
            last = polled.Watermark(reader);
            var key = new object?[polled.Table.PrimaryKey.Count];
            for (var k = 0; k < key.Length; k++)
            {
                key[k] = last[k + 1];
            }

            var time = SidecarTime.ToInstant(last[0]);
            if (polled.IsSoftDeleted(reader))
            {
                changes.Add(new SidecarChange(SidecarChangeKind.Delete, polled.Table.Name, key, null, time));
                continue;
            }

            var values = new object?[columns];
            Fill(reader, values);
            changes.Add(new SidecarChange(SidecarChangeKind.Upsert, polled.Table.Name, key, values, time));
        }

        return last;
    }

    /// <summary>
    /// The poll of one table read straight into data chunks (<see cref="SidecarStagedRows"/>): the same statement as
    /// <see cref="Poll"/>, run on the connection's native handle inside the poll's transaction. Returns the last row's
    /// watermark (the compound watermark, exact: every row up to it is staged or past a misfit) and the rows read.
    /// </summary>
    private (object?[]? Last, int Rows) PollStaged(SqlitePolledTable polled, object?[]? watermark, int budget, SidecarStagedRows rows)
    {
        var quoted = SqlIdentifier.Quote(polled.Table.Name);
        using var reader = new SqliteRowReader(Connection, $"SELECT {polled.SelectList} FROM {quoted} WHERE {polled.AfterPositional(watermark)} ORDER BY {polled.OrderList} LIMIT {budget}");
        for (var i = 0; watermark is not null && i < watermark.Length; i++)
        {
            switch (watermark[i])
            {
                case long l:
                    reader.Bind(i + 1, l);
                    break;
                case string text:
                    reader.Bind(i + 1, text);
                    break;
            }
        }

        var width = polled.Table.Columns.Count;
        var marks = polled.Table.PrimaryKey.Count + 1;
        var softDeleted = width + marks;
        var count = 0;

        // The watermark of the row just read, without a boxed value per row for INTEGER parts (the common case).
        var classes = new int[marks];
        var integers = new long[marks];
        var others = new object?[marks];
        while (reader.Read())
        {
            count++;
            for (var m = 0; m < marks; m++)
            {
                classes[m] = reader.StorageClass(width + m);
                if (classes[m] == SQLitePCL.raw.SQLITE_INTEGER)
                {
                    integers[m] = reader.GetInt64(width + m);
                }
                else
                {
                    others[m] = reader.GetValue(width + m);
                }
            }

            var time = classes[0] == SQLitePCL.raw.SQLITE_INTEGER
                ? (integers[0] >= MinEpochMilliseconds && integers[0] <= MaxEpochMilliseconds ? integers[0] : SidecarStagedRows.UnknownTime)
                : SidecarTime.ToInstant(others[0]) is { } instant ? SidecarTime.ToEpochMilliseconds(instant) : SidecarStagedRows.UnknownTime;
            rows.Add(reader, polled.SoftDelete is not null && reader.GetInt64(softDeleted) != 0, time);
            if (rows.Misfit is not null)
            {
                // The table is quarantined whole: the rest of its poll is not needed.
                break;
            }
        }

        if (count == 0)
        {
            return (null, 0);
        }

        var last = new object?[marks];
        for (var m = 0; m < marks; m++)
        {
            last[m] = classes[m] == SQLitePCL.raw.SQLITE_INTEGER ? integers[m] : others[m];
        }

        return (last, count);
    }

    /// <summary>After a table's copy: the highest watermark of the same snapshot (soft-deleted rows included: they are past it too).</summary>
    private static void CopyWatermark(SqlitePolledTable polled, SqliteTransaction transaction, ref SqliteWatermarks watermarks)
    {
        if (HighestWatermark(polled, transaction) is { } highest)
        {
            watermarks = watermarks.With(polled.Table.Name, highest);
        }
    }

    /// <summary>The largest watermark a table holds now (an index on the updated-at column makes it one seek).</summary>
    private static object?[]? HighestWatermark(SqlitePolledTable polled, SqliteTransaction transaction)
    {
        using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {polled.WatermarkList} FROM {SqlIdentifier.Quote(polled.Table.Name)} WHERE {SqlIdentifier.Quote(polled.Table.UpdatedAtColumn!)} IS NOT NULL ORDER BY {polled.DescendingOrderList} LIMIT 1";
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var mark = new object?[reader.FieldCount];
        Fill(reader, mark);
        return mark;
    }

    private static void Fill(SqliteDataReader reader, object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var value = reader.GetValue(i);
            values[i] = value is DBNull ? null : value;
        }
    }

    private IEnumerable<string> TableNames(SidecarSettings settings)
    {
        if (settings.Tables.Count > 0)
        {
            return settings.Tables;
        }

        return SqliteSchemaReader.ListTables(Connection).Union(settings.TableSettings.Keys, StringComparer.OrdinalIgnoreCase).ToArray();
    }

    /// <summary>Describes one table; null for a table the default "every table with a key" passes over.</summary>
    private SidecarTable? Describe(string name, bool explicitlyNamed)
    {
        var settings = _settings!;
        var schema = SqliteSchemaReader.Read(Connection, name)
            ?? throw Refused($"Table '{name}' (key 'Sidecar Tables') does not exist in the sidecar source '{settings.Source}'.");
        var overrides = settings.TableSettings.GetValueOrDefault(name);
        var columns = schema.Columns;
        if (overrides?.Columns is { } chosen)
        {
            columns = chosen.Select(c => schema.Columns.FirstOrDefault(x => x.Name.Equals(c, StringComparison.OrdinalIgnoreCase))
                ?? throw Refused($"Table '{schema.Name}' of the sidecar source has no column '{c}' (named by FollowTable).")).ToArray();
        }

        var key = overrides?.PrimaryKey ?? schema.PrimaryKey;
        if (key.Count == 0)
        {
            if (!explicitlyNamed)
            {
                _logger.LogInformation("Sidecar: table '{Table}' has no primary key and is not followed.", schema.Name);
                return null;
            }

            throw Refused($"Table '{schema.Name}' of the sidecar source has no primary key, so its rows cannot be matched. Name its key with RheiDataSourceBuilder.FollowTable(\"{schema.Name}\", primaryKey: [...]), or leave it out of 'Sidecar Tables'.");
        }

        var updatedAt = Find(schema, overrides?.UpdatedAtColumn ?? settings.UpdatedAtColumn);
        if (updatedAt is null)
        {
            if (!explicitlyNamed)
            {
                _logger.LogInformation("Sidecar: table '{Table}' has no '{Column}' column and is not followed.", schema.Name, settings.UpdatedAtColumn);
                return null;
            }

            throw Refused($"Table '{schema.Name}' of the sidecar source has no column '{overrides?.UpdatedAtColumn ?? settings.UpdatedAtColumn}' (key 'Updated At Column'): timestamp capture polls each table by it.");
        }

        var keyColumns = key.Select(k => Find(schema, k) ?? throw Refused($"Table '{schema.Name}' of the sidecar source has no key column '{k}'.")).ToArray();
        foreach (var k in keyColumns.Where(k => !columns.Any(c => c.Name.Equals(k, StringComparison.OrdinalIgnoreCase))))
        {
            throw Refused($"Table '{schema.Name}': the key column '{k}' must be among the mirrored columns.");
        }

        string? softDelete = null;
        if (settings.DeleteDetection == SidecarDeleteDetection.SoftDelete)
        {
            softDelete = Find(schema, settings.SoftDeleteColumn!)
                ?? throw Refused($"Table '{schema.Name}' of the sidecar source has no column '{settings.SoftDeleteColumn}' (key 'Soft Delete Column').");
        }

        var createdAt = Find(schema, overrides?.CreatedAtColumn ?? settings.CreatedAtColumn);
        var table = new SidecarTable(
            schema.Name,
            columns.Select(c => new SidecarColumn(c.Name, c.DeclaredType, SqliteTypeMapper.ToDuckDb(SqliteTypeMapper.Map(c.DeclaredType)), c.IsNullable)).ToArray(),
            keyColumns,
            updatedAt,
            createdAt);
        _tables[table.Name] = new SqlitePolledTable(table, softDelete);
        return table;
    }

    /// <summary>Columns added at the source since the last poll: the table's new shape, for the mirror to evolve.</summary>
    private List<SidecarTable> Evolve(SqliteTransaction transaction)
    {
        _schemaVersion = SchemaVersion(transaction);
        var evolved = new List<SidecarTable>();
        foreach (var polled in _tables.Values.ToArray())
        {
            var overrides = _settings!.TableSettings.GetValueOrDefault(polled.Table.Name);
            if (overrides?.Columns is not null || SqliteSchemaReader.Read(Connection, polled.Table.Name) is not { } schema)
            {
                continue;
            }

            var added = schema.Columns.Where(c => !polled.Table.Columns.Any(x => x.Name.Equals(c.Name, StringComparison.OrdinalIgnoreCase))).ToArray();
            if (added.Length == 0)
            {
                continue;
            }

            var table = polled.Table with
            {
                Columns = polled.Table.Columns.Concat(added.Select(c => new SidecarColumn(c.Name, c.DeclaredType, SqliteTypeMapper.ToDuckDb(SqliteTypeMapper.Map(c.DeclaredType)), c.IsNullable))).ToArray(),
            };
            _tables[table.Name] = new SqlitePolledTable(table, polled.SoftDelete);
            evolved.Add(table);
        }

        return evolved;
    }

    private long SchemaVersion(SqliteTransaction? transaction = null)
    {
        using var command = Connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA schema_version";
        return (long)command.ExecuteScalar()!;
    }

    private static string? Find(RheiTableSchema schema, string column)
        => schema.Columns.FirstOrDefault(c => c.Name.Equals(column, StringComparison.OrdinalIgnoreCase))?.Name;

    private static RheiException Refused(string message) => new(message, RheiException.SqliteEngineName);
}
