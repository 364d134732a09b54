using Microsoft.Data.Sqlite;
using Rhei.Data.Olap;
using Rhei.Data.Sync;

namespace Rhei.Data.Sidecar;

/// <summary>
/// Where a source's initial copy writes: one appender at a time, on the mirror table of the rows arriving (sources copy
/// table by table), inside the copy's DuckDB transaction, so memory stays bounded by the appender's chunk. In temporal
/// mode every row opens a version at its updated-at (else created-at) value, or at the copy's time. A value that does
/// not fit quarantines its table: its remaining rows are skipped and the table is set aside when the copy commits.
/// A SQLite source hands a whole destructive table to <see cref="TryLoad"/> instead, which runs the local initial
/// sync's loader (data chunks filled from SQLite's cells, appended whole); a PostgreSQL source appends chunks it filled
/// to <see cref="ChunkAppender"/>.
/// </summary>
internal sealed class SidecarCopySink : ISidecarBulkSink, IDisposable
{
    private readonly DuckDbSession _session;
    private readonly Dictionary<string, SidecarMirrorTable> _tables;
    private readonly RheiSyncMode _mode;
    private readonly long _copyTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private DuckDbAppender? _appender;
    private SidecarMirrorTable? _current;
    private int _updatedAt = -1;
    private int _createdAt = -1;

    public SidecarCopySink(DuckDbSession session, IEnumerable<SidecarMirrorTable> tables, RheiSyncMode mode)
    {
        _session = session;
        _tables = tables.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);
        _mode = mode;
    }

    /// <summary>Tables whose values did not fit, with the reason and the key at fault.</summary>
    public Dictionary<string, (string Reason, string? Key)> Quarantines { get; } = new(StringComparer.OrdinalIgnoreCase);

    public long Rows { get; private set; }

    public void Append(SidecarTable table, ReadOnlySpan<object?> values)
    {
        if (_current is null || (!ReferenceEquals(_current.Table, table) && !_current.Name.Equals(table.Name, StringComparison.OrdinalIgnoreCase)))
        {
            Switch(table.Name);
        }

        var mirrored = _current!;
        if (Quarantines.ContainsKey(mirrored.Name))
        {
            return;
        }

        if (mirrored.SqliteTyped && Misfit(mirrored, values) is { } misfit)
        {
            Quarantines[mirrored.Name] = misfit;
            return;
        }

        try
        {
            foreach (var value in values)
            {
                SidecarApplier.AppendValue(_appender!, value);
            }

            if (_mode == RheiSyncMode.Temporal)
            {
                var time = (_updatedAt >= 0 ? SidecarTime.ToInstant(values[_updatedAt]) : null) ?? (_createdAt >= 0 ? SidecarTime.ToInstant(values[_createdAt]) : null);
                _appender!.Append(time is { } t ? SidecarTime.ToEpochMilliseconds(t) : _copyTime);
                _appender.AppendNull();
                _appender.Append("I");
            }

            _appender!.EndRow();
            Rows++;
        }
        catch (DuckDbException ex)
        {
            // DuckDB refused a value (the appender is cleared): the table's mirror is incomplete, so it is set aside.
            Quarantines[mirrored.Name] = (ex.Message, SidecarMirror.DescribeKey(Key(mirrored, values)));
            _appender?.Dispose();
            _appender = null;
        }
    }

    public bool TryLoad(SidecarTable table, SqliteConnection connection, SqliteTransaction transaction, Action<long>? progress, CancellationToken cancellationToken)
    {
        var mirrored = _tables.GetValueOrDefault(table.Name) ?? throw new InvalidOperationException($"The sidecar source copied rows of '{table.Name}', which is not followed.");
        if (_mode != RheiSyncMode.Destructive || !mirrored.SqliteTyped)
        {
            return false;
        }

        CloseCurrent();
        _current = null;
        if (Quarantines.ContainsKey(mirrored.Name))
        {
            return true;
        }

        try
        {
            Rows += MirrorLoader.Load(_session, connection, transaction, mirrored.Schema, _mode, progress, cancellationToken);
        }
        catch (MirrorMisfitException ex)
        {
            // The rows appended before the misfit stay in a table the copy's commit quarantines (and empties).
            Quarantines[mirrored.Name] = (ex.Reason, ex.OffendingKey);
        }
        catch (DuckDbException ex) when (!MirrorFaults.IsEnvironmental(ex))
        {
            Quarantines[mirrored.Name] = (ex.Message, null);
        }

        return true;
    }

    public DuckDbAppender? ChunkAppender(SidecarTable table)
    {
        if (_mode != RheiSyncMode.Destructive)
        {
            return null;
        }

        if (_current is null || !_current.Name.Equals(table.Name, StringComparison.OrdinalIgnoreCase))
        {
            Switch(table.Name);
        }

        return _appender;
    }

    public void ChunksAppended(long rows) => Rows += rows;

    public void ChunkFailed(SidecarTable table, DuckDbException error)
    {
        // DuckDB refused a chunk (the appender is cleared): the table's mirror is incomplete, so it is set aside.
        Quarantines[table.Name] = (error.Message, null);
        _appender?.Dispose();
        _appender = null;
    }

    /// <summary>Flushes the last table's rows; call before the copy's transaction commits.</summary>
    public void Complete() => CloseCurrent();

    public void Dispose() => _appender?.Dispose();

    /// <summary>The local sync's fit rule, checked without copying the row (the copy's hot path).</summary>
    private static (string Reason, string? Key)? Misfit(SidecarMirrorTable table, ReadOnlySpan<object?> values)
    {
        var schema = table.Schema;
        for (var k = 0; k < schema.KeyOrdinals.Count; k++)
        {
            if (values[schema.KeyOrdinals[k]] is null)
            {
                return (MirrorTypeFit.NullKey(schema, k), SidecarMirror.DescribeKey(Key(table, values)));
            }
        }

        for (var c = 0; c < values.Length; c++)
        {
            if (!Schema.SqliteTypeMapper.Holds(schema.MirrorTypes[c], values[c]))
            {
                return (MirrorTypeFit.Misfit(schema, c, values[c]), SidecarMirror.DescribeKey(Key(table, values)));
            }
        }

        return null;
    }

    private static object?[] Key(SidecarMirrorTable table, ReadOnlySpan<object?> values)
    {
        var key = new object?[table.Schema.KeyOrdinals.Count];
        for (var k = 0; k < key.Length; k++)
        {
            key[k] = values[table.Schema.KeyOrdinals[k]];
        }

        return key;
    }

    private void Switch(string table)
    {
        CloseCurrent();
        _current = _tables.GetValueOrDefault(table) ?? throw new InvalidOperationException($"The sidecar source copied rows of '{table}', which is not followed.");
        _updatedAt = _current.Table.UpdatedAtColumn is { } u ? _current.Schema.ColumnIndex(u) : -1;
        _createdAt = _current.Table.CreatedAtColumn is { } c ? _current.Schema.ColumnIndex(c) : -1;
        if (!Quarantines.ContainsKey(table))
        {
            _appender = _session.CreateAppender(_current.Name);
        }
    }

    private void CloseCurrent()
    {
        if (_appender is null)
        {
            return;
        }

        try
        {
            _appender.Close();
        }
        catch (DuckDbException ex) when (_current is not null)
        {
            Quarantines[_current.Name] = (ex.Message, null);
        }
        finally
        {
            _appender.Dispose();
            _appender = null;
        }
    }
}
