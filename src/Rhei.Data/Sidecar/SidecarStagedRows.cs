using Rhei.Data.Olap;
using Rhei.Data.Oltp;
using Rhei.Data.Schema;
using Rhei.Data.Sidecar.PostgreSql;

namespace Rhei.Data.Sidecar;

/// <summary>
/// One table's rows of a timestamp poll, held as DuckDB data chunks of the mirror's column types
/// (<see cref="MirrorLoadBatch"/> for a SQLite source: its cells go straight into the vectors;
/// <see cref="PostgreSqlCopyChunk"/> for a PostgreSQL source: the binary COPY read typed; no managed value per cell,
/// no <see cref="SidecarChange"/> per row) until the mirror applies them in its transaction. A poll reads each row once,
/// so every key is here at most once. Beside the chunks, in row order, what a row carries besides its values:
/// whether it is soft-deleted, and its change time (epoch milliseconds of the updated-at value, for the temporal
/// mirror's <c>_rhei_valid_from</c>). The first value the mirror cannot keep exactly (or a NULL key) stops the
/// staging and is kept as <see cref="Misfit"/>, so the mirror quarantines the table as it does for row changes.
/// </summary>
internal sealed class SidecarStagedRows : IDisposable
{
    /// <summary>Change time of a row whose updated-at value is not a time: the apply's own clock.</summary>
    public const long UnknownTime = long.MinValue;

    private readonly MirrorType[] _types;
    private readonly int[] _keyOrdinals;
    private readonly List<MirrorLoadBatch> _chunks = [];
    private readonly List<PostgreSqlCopyChunk> _copyChunks = [];
    private readonly List<bool> _deleted = [];
    private readonly List<long> _times = [];

    public SidecarStagedRows(SidecarTable table, TableSchema schema)
    {
        Table = table;
        Schema = schema;
        _types = [.. schema.MirrorTypes];
        _keyOrdinals = [.. schema.KeyOrdinals];
    }

    public SidecarTable Table { get; }

    public TableSchema Schema { get; }

    public int Count => _deleted.Count;

    public int DeletedCount { get; private set; }

    /// <summary>The quarantine reason and offending key of the first row that does not fit, or null.</summary>
    public (string Reason, string Key)? Misfit { get; private set; }

    /// <summary>Hands every staged row to <paramref name="appender"/> (a table of the mirror's column types), chunk by chunk.</summary>
    public void AppendTo(DuckDbAppender appender)
    {
        foreach (var chunk in _chunks)
        {
            chunk.AppendTo(appender);
        }

        foreach (var chunk in _copyChunks)
        {
            chunk.AppendTo(appender);
        }
    }

    public IReadOnlyList<bool> Deleted => _deleted;

    public IReadOnlyList<long> Times => _times;

    /// <summary>
    /// Stages the reader's current row (the mirrored columns first, in table order). After a misfit nothing more is
    /// staged: the table is quarantined whole.
    /// </summary>
    public void Add(SqliteRowReader reader, bool deleted, long time)
    {
        if (Misfit is not null)
        {
            return;
        }

        for (var k = 0; k < _keyOrdinals.Length; k++)
        {
            if (reader.IsNull(_keyOrdinals[k]))
            {
                Misfit = (MirrorTypeFit.NullKey(Schema, k), DescribeKey(reader));
                return;
            }
        }

        if (_chunks.Count == 0 || _chunks[^1].IsFull)
        {
            _chunks.Add(new MirrorLoadBatch(_types, validFrom: null));
        }

        if (!_chunks[^1].TryAdd(reader, out var column))
        {
            Misfit = (MirrorTypeFit.Misfit(Schema, column, reader.GetValue(column)), DescribeKey(reader));
            return;
        }

        Added(deleted, time);
    }

    /// <summary>A chunk of the PostgreSQL copy's column types with room for the next row (read it, then <see cref="Added"/>).</summary>
    public PostgreSqlCopyChunk CopyChunk(PostgreSqlColumnType[] types)
    {
        if (_copyChunks.Count == 0 || _copyChunks[^1].IsFull)
        {
            _copyChunks.Add(new PostgreSqlCopyChunk(types));
        }

        return _copyChunks[^1];
    }

    /// <summary>Counts the row just read into <see cref="CopyChunk"/>, with its flags.</summary>
    public void Added(bool deleted, long time)
    {
        _deleted.Add(deleted);
        _times.Add(time);
        DeletedCount += deleted ? 1 : 0;
    }

    public void Dispose()
    {
        foreach (var chunk in _chunks)
        {
            chunk.Dispose();
        }

        foreach (var chunk in _copyChunks)
        {
            chunk.Dispose();
        }

        _chunks.Clear();
        _copyChunks.Clear();
    }

    private string DescribeKey(SqliteRowReader reader)
        => SidecarMirror.DescribeKey(Array.ConvertAll(_keyOrdinals, reader.GetValue));
}
