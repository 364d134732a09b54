using System.Buffers;
using Rhei.Data.Oltp;
using Rhei.Data.Schema;
using SQLitePCL;

namespace Rhei.Data.Olap;

/// <summary>
/// Up to <see cref="Capacity"/> rows of one table in typed column buffers, handed from the SQLite reading thread
/// to the DuckDB appending thread of an initial load and then reused. Each mirror column holds exactly one storage
/// class (<see cref="SqliteTypeMapper.Holds(MirrorType, long)"/>), so one typed array per column suffices; text
/// and blobs are byte ranges in one pooled buffer, so a batch allocates nothing once it has grown to its table.
/// </summary>
internal sealed class MirrorLoadBatch : IDisposable
{
    /// <summary>DuckDB's chunk size: a full batch fills exactly one data chunk of the appender.</summary>
    public const int Capacity = 2048;

    // A batch of wide text or blobs is handed over early, so a table of large values stays within a few MB per batch.
    private const int ByteBudget = 4 * 1024 * 1024;

    private readonly MirrorType[] _types;
    private readonly long[]?[] _integers;
    private readonly double[]?[] _reals;
    private readonly int[]?[] _starts;
    private readonly int[]?[] _lengths;
    private readonly bool[][] _nulls;
    private byte[] _bytes;
    private int _byteCount;
    private int _count;

    public MirrorLoadBatch(MirrorType[] types)
    {
        _types = types;
        _integers = new long[]?[types.Length];
        _reals = new double[]?[types.Length];
        _starts = new int[]?[types.Length];
        _lengths = new int[]?[types.Length];
        _nulls = new bool[types.Length][];
        for (var i = 0; i < types.Length; i++)
        {
            _nulls[i] = new bool[Capacity];
            switch (types[i])
            {
                case MirrorType.Integer:
                    _integers[i] = new long[Capacity];
                    break;
                case MirrorType.Real:
                    _reals[i] = new double[Capacity];
                    break;
                default:
                    _starts[i] = new int[Capacity];
                    _lengths[i] = new int[Capacity];
                    break;
            }
        }

        _bytes = ArrayPool<byte>.Shared.Rent(64 * 1024);
    }

    public int Count => _count;

    public bool IsFull => _count == Capacity || _byteCount >= ByteBudget;

    /// <summary>
    /// Copies the reader's current row in; false, with the row not counted, when the value of
    /// <paramref name="misfitColumn"/> does not fit its mirror column (<see cref="SqliteTypeMapper.Holds(MirrorType, object?)"/>).
    /// </summary>
    public bool TryAdd(SqliteRowReader reader, out int misfitColumn)
    {
        var row = _count;
        for (var i = 0; i < _types.Length; i++)
        {
            var type = _types[i];
            var storage = reader.StorageClass(i);
            if (storage == raw.SQLITE_NULL)
            {
                _nulls[i][row] = true;
                continue;
            }

            _nulls[i][row] = false;
            switch (storage)
            {
                case raw.SQLITE_INTEGER:
                    var value = reader.GetInt64(i);
                    if (!SqliteTypeMapper.Holds(type, value))
                    {
                        misfitColumn = i;
                        return false;
                    }

                    _integers[i]![row] = value;
                    break;
                case raw.SQLITE_FLOAT when type == MirrorType.Real:
                    _reals[i]![row] = reader.GetDouble(i);
                    break;
                case raw.SQLITE_TEXT when type == MirrorType.Text:
                    AddBytes(i, row, reader.GetUtf8(i));
                    break;
                case raw.SQLITE_BLOB when type == MirrorType.Blob:
                    AddBytes(i, row, reader.GetBlob(i));
                    break;
                default:
                    misfitColumn = i;
                    return false;
            }
        }

        _count++;
        misfitColumn = -1;
        return true;
    }

    /// <summary>Appends every row, each followed by <paramref name="appendTail"/> for columns the mirror adds.</summary>
    public void AppendTo(DuckDbAppender appender, Action<DuckDbAppender>? appendTail)
    {
        var columns = _types.Length;
        for (var row = 0; row < _count; row++)
        {
            for (var i = 0; i < columns; i++)
            {
                if (_nulls[i][row])
                {
                    appender.AppendNull();
                    continue;
                }

                switch (_types[i])
                {
                    case MirrorType.Integer:
                        appender.Append(_integers[i]![row]);
                        break;
                    case MirrorType.Real:
                        appender.Append(_reals[i]![row]);
                        break;
                    case MirrorType.Text:
                        appender.AppendUtf8(_bytes.AsSpan(_starts[i]![row], _lengths[i]![row]));
                        break;
                    default:
                        appender.Append(_bytes.AsSpan(_starts[i]![row], _lengths[i]![row]));
                        break;
                }
            }

            appendTail?.Invoke(appender);
            appender.EndRow();
        }
    }

    /// <summary>Empties the batch for reuse; its buffers stay.</summary>
    public void Clear()
    {
        _count = 0;
        _byteCount = 0;
    }

    public void Dispose()
    {
        var bytes = _bytes;
        _bytes = [];
        if (bytes.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private void AddBytes(int column, int row, ReadOnlySpan<byte> value)
    {
        if (value.Length > _bytes.Length - _byteCount)
        {
            Grow(value.Length);
        }

        value.CopyTo(_bytes.AsSpan(_byteCount));
        _starts[column]![row] = _byteCount;
        _lengths[column]![row] = value.Length;
        _byteCount += value.Length;
    }

    private void Grow(int needed)
    {
        var grown = ArrayPool<byte>.Shared.Rent(Math.Max(checked(_byteCount + needed), _bytes.Length * 2));
        _bytes.AsSpan(0, _byteCount).CopyTo(grown);
        ArrayPool<byte>.Shared.Return(_bytes);
        _bytes = grown;
    }
}
