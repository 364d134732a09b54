using Rhei.Data.Olap;

namespace Rhei.Data.Sidecar;

/// <summary>
/// Where a source's initial copy writes: one appender at a time, on the mirror table of the rows arriving (sources copy
/// table by table), inside the copy's DuckDB transaction, so memory stays bounded by the appender's chunk. In temporal
/// mode every row opens a version at its updated-at (else created-at) value, or at the copy's time. A value that does
/// not fit quarantines its table: its remaining rows are skipped and the table is set aside when the copy commits.
/// </summary>
internal sealed class SidecarCopySink : ISidecarRowSink, IDisposable
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
        if (!ReferenceEquals(_current?.Table, table) && _current?.Name != table.Name)
        {
            Switch(table.Name);
        }

        var mirrored = _current!;
        if (Quarantines.ContainsKey(mirrored.Name))
        {
            return;
        }

        var row = values.ToArray();
        var key = mirrored.Schema.KeyOrdinals.Select(i => row[i]).ToArray();
        if (mirrored.SqliteTyped && (key.Any(k => k is null) || MirrorTypeFit.FirstMisfit(mirrored.Schema, row) is not null))
        {
            var nullKey = Array.FindIndex(key, k => k is null);
            var reason = nullKey >= 0 ? MirrorTypeFit.NullKey(mirrored.Schema, nullKey) : MirrorTypeFit.Misfit(mirrored.Schema, MirrorTypeFit.FirstMisfit(mirrored.Schema, row)!.Value, row[MirrorTypeFit.FirstMisfit(mirrored.Schema, row)!.Value]);
            Quarantines[mirrored.Name] = (reason, SidecarMirror.DescribeKey(key));
            return;
        }

        try
        {
            foreach (var value in row)
            {
                SidecarApplier.AppendValue(_appender!, value);
            }

            if (_mode == RheiSyncMode.Temporal)
            {
                var time = (_updatedAt >= 0 ? SidecarTime.ToInstant(row[_updatedAt]) : null) ?? (_createdAt >= 0 ? SidecarTime.ToInstant(row[_createdAt]) : null);
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
            Quarantines[mirrored.Name] = (ex.Message, SidecarMirror.DescribeKey(key));
            _appender?.Dispose();
            _appender = null;
        }
    }

    /// <summary>Flushes the last table's rows; call before the copy's transaction commits.</summary>
    public void Complete() => CloseCurrent();

    public void Dispose() => _appender?.Dispose();

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
