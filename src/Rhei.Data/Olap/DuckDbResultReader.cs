using DuckDB.NET.Native;
using Rhei.Data.Olap.Native;
using DuckDBNative = DuckDB.NET.Native.NativeMethods;

namespace Rhei.Data.Olap;

/// <summary>
/// Forward-only reader over a materialised result, one data chunk (up to 2048 rows) at a time. Each column's
/// <see cref="DuckDbVectorReader"/> holds the chunk's data and validity pointers and decodes on access, so
/// reading a cell makes no native call.
/// </summary>
internal sealed class DuckDbResultReader : IDisposable
{
    private readonly DuckDbResultHandle _result;
    private readonly DuckDbVectorReader[] _columns;
    private readonly long _rowsChanged;
    private DuckDBDataChunk? _chunk;
    private int _chunkSize;
    private int _row = -1;
    private bool _exhausted;

    internal DuckDbResultReader(DuckDbResultHandle result)
    {
        _result = result;
        try
        {
            _rowsChanged = DuckDBNative.Query.DuckDBRowsChanged(ref result.Result);
            int count = checked((int)DuckDBNative.Query.DuckDBColumnCount(ref result.Result));
            _columns = new DuckDbVectorReader[count];
            for (int i = 0; i < count; i++)
            {
                string name = DuckDBNative.Query.DuckDBColumnName(ref result.Result, i) ?? string.Empty;
                using DuckDBLogicalType type = DuckDBNative.Query.DuckDBColumnLogicalType(ref result.Result, i);
                _columns[i] = new DuckDbVectorReader(name, type);
            }
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    public int FieldCount
    {
        get
        {
            ThrowIfDisposed();
            return _columns.Length;
        }
    }

    /// <summary>Rows inserted, updated or deleted by the statement (<c>duckdb_rows_changed</c>).</summary>
    public long RowsChanged
    {
        get
        {
            ThrowIfDisposed();
            return _rowsChanged;
        }
    }

    public string GetName(int ordinal) => Column(ordinal).Name;

    public DuckDbColumnType GetColumnType(int ordinal) => Column(ordinal).ColumnType;

    /// <summary>Advances one row, fetching the next chunk when the current one is used up.</summary>
    public bool Read()
    {
        ThrowIfDisposed();
        if (_row + 1 < _chunkSize)
        {
            _row++;
            return true;
        }

        while (!_exhausted)
        {
            _chunk?.Dispose();
            _chunk = _result.FetchChunk();
            if (_chunk is null)
            {
                _exhausted = true;
                _chunkSize = 0;
                _row = -1;

                // NULL means either the end or a failure stored on the result.
                if (DuckDbErrors.ResultError(_result) is not null)
                {
                    DuckDbErrors.ThrowForResult(_result);
                }

                break;
            }

            _chunkSize = checked((int)DuckDBNative.DataChunks.DuckDBDataChunkGetSize(_chunk));
            if (_chunkSize == 0)
            {
                continue;
            }

            for (int i = 0; i < _columns.Length; i++)
            {
                _columns[i].SetVector(DuckDBNative.DataChunks.DuckDBDataChunkGetVector(_chunk, i));
            }

            _row = 0;
            return true;
        }

        return false;
    }

    public bool IsDBNull(int ordinal) => Current(ordinal).IsNull(_row);

    public long GetInt64(int ordinal) => Current(ordinal).GetInt64(_row);

    public double GetDouble(int ordinal) => Current(ordinal).GetDouble(_row);

    public string GetString(int ordinal) => Current(ordinal).GetString(_row);

    public byte[] GetBytes(int ordinal) => Current(ordinal).GetBytes(_row);

    /// <summary>The value as SQLite would return it: Int64, Double, String, byte[] or DBNull.</summary>
    public object GetSqliteValue(int ordinal) => Current(ordinal).GetSqliteValue(_row);

    /// <summary>
    /// The CLR type <see cref="GetSqliteValue"/> returns for non-null values. For HUGEINT, UHUGEINT and
    /// UBIGINT it depends on the current value (Double beyond Int64's range), as SQLite's does.
    /// </summary>
    public Type GetSqliteFieldType(int ordinal)
    {
        DuckDbVectorReader column = Column(ordinal);
        return _row >= 0 ? column.GetSqliteFieldType(_row) : column.GetSqliteFieldType(row: -1);
    }

    /// <summary>The natural CLR value of the cell, or <see cref="DBNull.Value"/>.</summary>
    public object GetNativeValue(int ordinal) => Current(ordinal).GetNativeValue(_row);

    public void Dispose()
    {
        _chunk?.Dispose();
        _chunk = null;
        _result.Dispose();
    }

    private DuckDbVectorReader Column(int ordinal)
    {
        ThrowIfDisposed();
        if ((uint)ordinal >= (uint)_columns.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(ordinal), ordinal, $"The result has {_columns.Length} column(s).");
        }

        return _columns[ordinal];
    }

    private DuckDbVectorReader Current(int ordinal)
    {
        DuckDbVectorReader column = Column(ordinal);
        if (_row < 0)
        {
            throw new InvalidOperationException("No current row. Call Read() and check that it returned true before reading values.");
        }

        return column;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_result.IsClosed, this);
}
