using System.Data;

namespace Rhei.Data.Olap;

/// <summary>
/// The DuckDB route's results, one statement's result at a time: values come back as SQLite would return them
/// (<see cref="DuckDbResultReader.GetSqliteValue"/>), the typed getters convert them as Microsoft.Data.Sqlite does, and
/// columns carry the names SQLite gives them, so both routes show the same names and values. The command ran the first
/// statement; <see cref="NextResult"/> asks the <see cref="DuckDbStatementRunner"/> for the next.
/// </summary>
internal sealed partial class DuckDbCursor : RheiCursor
{
    private readonly DuckDbStatementRunner _runner;
    private int _statementIndex;
    private DuckDbResultReader? _result;
    private string[]? _names;
    private bool _onRow;
    private bool _peeked;
    private bool _peekedRow;

    /// <param name="runner">Runs the command's later statements.</param>
    /// <param name="first">The first statement's result, which the command executed (null when there is none); the cursor owns it.</param>
    public DuckDbCursor(DuckDbStatementRunner runner, DuckDbResultReader? first)
    {
        _runner = runner;
        _result = first;
        _names = first is null ? null : NamesFor(0, first);
    }

    public override int FieldCount => Current().FieldCount;

    // DuckDB has no "has rows" question: read the first row early and hand it to the next Read.
    public override bool HasRows
    {
        get
        {
            if (_onRow || _peeked)
            {
                return _onRow || _peekedRow;
            }

            if (_result is null)
            {
                return false;
            }

            _peekedRow = Call(static r => r.Read());
            _peeked = true;
            return _peekedRow;
        }
    }

    /// <summary>DuckDB's changed-row count is not reported through the reader: -1, as for a query.</summary>
    public override int RecordsAffected => -1;

    public override bool Read()
    {
        if (_peeked)
        {
            _peeked = false;
            _onRow = _peekedRow;
            return _onRow;
        }

        _onRow = _result is not null && Call(static r => r.Read());
        return _onRow;
    }

    public override bool NextResult()
    {
        _result?.Dispose();
        _result = null;
        _names = null;
        _onRow = false;
        _peeked = false;
        if (++_statementIndex >= _runner.Statements.Count)
        {
            return false;
        }

        var result = _runner.Execute(_statementIndex);
        _result = result;
        _names = NamesFor(_statementIndex, result);
        return true;
    }

    public override string GetName(int ordinal)
    {
        var result = Current();
        return _names is { } names && (uint)ordinal < (uint)names.Length ? names[ordinal] : result.GetName(ordinal);
    }

    public override int GetOrdinal(string name)
    {
        var count = Current().FieldCount;
        for (var i = 0; i < count; i++)
        {
            if (string.Equals(GetName(i), name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        for (var i = 0; i < count; i++)
        {
            if (string.Equals(GetName(i), name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(name), name, $"No column named '{name}' in the result.");
    }

    public override string GetDataTypeName(int ordinal)
    {
        var type = FieldType(Current(), ordinal);
        return type == typeof(long) ? "INTEGER" : type == typeof(double) ? "REAL" : type == typeof(byte[]) ? "BLOB" : "TEXT";
    }

    public override Type GetFieldType(int ordinal) => FieldType(Current(), ordinal);

    public override bool IsDBNull(int ordinal) => Current().IsDBNull(ordinal);

    public override object GetValue(int ordinal)
    {
        var result = Current();
        try
        {
            return result.GetSqliteValue(ordinal);
        }
        catch (NotSupportedException ex)
        {
            throw UnreadableColumn(ordinal, ex);
        }
    }

    public override long GetInt64(int ordinal)
    {
        var result = Current();
        if (FieldType(result, ordinal) == typeof(long) && !result.IsDBNull(ordinal))
        {
            return result.GetInt64(ordinal);
        }

        return SqliteValueConversion.ToInt64(GetValue(ordinal));
    }

    public override double GetDouble(int ordinal)
    {
        var result = Current();
        if (FieldType(result, ordinal) == typeof(double) && !result.IsDBNull(ordinal))
        {
            return result.GetDouble(ordinal);
        }

        return SqliteValueConversion.ToDouble(GetValue(ordinal));
    }

    public override string GetString(int ordinal)
    {
        var result = Current();
        if (FieldType(result, ordinal) == typeof(string) && !result.IsDBNull(ordinal))
        {
            return result.GetString(ordinal);
        }

        return SqliteValueConversion.ToText(GetValue(ordinal));
    }

    public override bool GetBoolean(int ordinal) => GetInt64(ordinal) != 0;

    public override byte GetByte(int ordinal) => checked((byte)GetInt64(ordinal));

    public override char GetChar(int ordinal) => SqliteValueConversion.ToChar(GetValue(ordinal));

    public override short GetInt16(int ordinal) => checked((short)GetInt64(ordinal));

    public override int GetInt32(int ordinal) => checked((int)GetInt64(ordinal));

    public override float GetFloat(int ordinal) => (float)GetDouble(ordinal);

    public override decimal GetDecimal(int ordinal) => SqliteValueConversion.ToDecimal(GetValue(ordinal));

    public override DateTime GetDateTime(int ordinal) => SqliteValueConversion.ToDateTime(GetValue(ordinal));

    public override DateTimeOffset GetDateTimeOffset(int ordinal) => SqliteValueConversion.ToDateTimeOffset(GetValue(ordinal));

    public override TimeSpan GetTimeSpan(int ordinal) => SqliteValueConversion.ToTimeSpan(GetValue(ordinal));

    public override Guid GetGuid(int ordinal) => SqliteValueConversion.ToGuid(GetValue(ordinal));

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
    {
        var bytes = SqliteValueConversion.ToBlob(GetValue(ordinal));
        if (buffer is null)
        {
            return bytes.Length;
        }

        RheiDataReader.CheckBufferArguments(dataOffset, buffer.Length, bufferOffset, length);
        var count = (int)Math.Max(0, Math.Min(length, bytes.Length - dataOffset));
        if (count > 0)
        {
            Array.Copy(bytes, dataOffset, buffer, bufferOffset, count);
        }

        return count;
    }

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
    {
        var text = GetString(ordinal);
        if (buffer is null)
        {
            return text.Length;
        }

        RheiDataReader.CheckBufferArguments(dataOffset, buffer.Length, bufferOffset, length);
        var count = (int)Math.Max(0, Math.Min(length, text.Length - dataOffset));
        if (count > 0)
        {
            text.CopyTo((int)dataOffset, buffer, bufferOffset, count);
        }

        return count;
    }

    public override Stream GetStream(int ordinal) => new MemoryStream(SqliteValueConversion.ToBlob(GetValue(ordinal)), writable: false);

    public override TextReader GetTextReader(int ordinal) => new StringReader(IsDBNull(ordinal) ? string.Empty : GetString(ordinal));

    public override DataTable? GetSchemaTable() => OlapSchemaTable.Build(Current(), this);

    public override void Dispose()
    {
        _result?.Dispose();
        _result = null;
        _onRow = false;
        _peeked = false;
    }
}
