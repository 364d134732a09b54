using System.Collections;
using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Rhei.Data.Olap;


namespace Rhei.Data;

/// <summary>
/// Reads the results of a <see cref="RheiCommand"/>. Whichever engine answered (<see cref="Route"/>),
/// values come back as SQLite would return them: <see cref="long"/>, <see cref="double"/>,
/// <see cref="string"/>, <see cref="byte"/>[] or <see cref="DBNull"/>, and the typed getters convert
/// them as Microsoft.Data.Sqlite does.
/// </summary>
public sealed partial class RheiDataReader : DbDataReader
{
    private readonly RheiConnection _connection;
    private readonly CommandBehavior _behavior;

    // SQLite route (or a provider-built table for PRAGMA rhei_*).
    private readonly DbDataReader? _sqlite;
    private IAsyncDisposable? _schemaChange;

    // DuckDB route.
    private readonly OlapSession? _session;
    private readonly IReadOnlyList<OlapStatement>? _statements;
    private readonly RheiParameterCollection? _parameters;
    private int _statementIndex = -1;
    private DuckDbResultReader? _result;
    private bool _hasRow;
    private bool _peeked;

    private bool _closed;
    private RheiCommand? _command;

    internal RheiDataReader(RheiConnection connection, DbDataReader sqlite, CommandBehavior behavior, IAsyncDisposable? schemaChange)
    {
        _connection = connection;
        _sqlite = sqlite;
        _behavior = behavior;
        _schemaChange = schemaChange;
        Route = RheiRoute.Oltp;
    }

    internal RheiDataReader(
        RheiConnection connection, OlapSession session, IReadOnlyList<OlapStatement> statements,
        RheiParameterCollection parameters, CommandBehavior behavior)
    {
        _connection = connection;
        _session = session;
        _statements = statements;
        _parameters = parameters;
        _behavior = behavior;
        Route = RheiRoute.Olap;
    }

    /// <summary>The engine that answered: <see cref="RheiRoute.Oltp"/> (SQLite) or <see cref="RheiRoute.Olap"/> (DuckDB).</summary>
    public RheiRoute Route { get; }

    /// <inheritdoc />
    public override int Depth => 0;

    /// <inheritdoc />
    public override int FieldCount => _sqlite is not null ? Sqlite(s => s.FieldCount) : Olap().FieldCount;

    /// <inheritdoc />
    public override bool HasRows => _sqlite is not null ? Sqlite(s => s.HasRows) : PeekOlapRow();

    // DuckDB has no "has rows" question: read the first row early and hand it to the next Read.
    private bool PeekOlapRow()
    {
        if (_hasRow || _peeked)
        {
            return _hasRow || _peeked && _peekedRow;
        }

        if (_result is null)
        {
            return false;
        }

        _peekedRow = OlapCall(r => r.Read());
        _peeked = true;
        return _peekedRow;
    }

    private bool _peekedRow;

    /// <inheritdoc />
    public override bool IsClosed => _closed;

    /// <inheritdoc />
    public override int RecordsAffected => _sqlite is not null ? _sqlite.RecordsAffected : -1;

    /// <inheritdoc />
    public override object this[int ordinal] => GetValue(ordinal);

    /// <inheritdoc />
    public override object this[string name] => GetValue(GetOrdinal(name));

    /// <summary>A reader over rows the provider built itself (the answers of <c>PRAGMA rhei_*</c>).</summary>
    internal static RheiDataReader FromTable(RheiConnection connection, DataTable table, CommandBehavior behavior)
        => new(connection, table.CreateDataReader(), behavior, schemaChange: null);

    /// <summary>The command that returned this reader: told when the reader closes, so it accepts new text again.</summary>
    internal void AttachCommand(RheiCommand command) => _command = command;

    /// <summary>Runs the first DuckDB statement; called by the command so that errors surface at execution.</summary>
    internal void ExecuteFirst() => NextOlapResult();

    /// <inheritdoc />
    public override bool Read()
    {
        ThrowIfClosed(nameof(Read));
        if (_sqlite is not null)
        {
            return Sqlite(s => s.Read());
        }

        if (_peeked)
        {
            _peeked = false;
            _hasRow = _peekedRow;
            return _hasRow;
        }

        _hasRow = _result is not null && OlapCall(r => r.Read());
        return _hasRow;
    }

    /// <inheritdoc />
    public override Task<bool> ReadAsync(CancellationToken cancellationToken)
        => RunSynchronously(static r => r.Read(), cancellationToken);

    /// <inheritdoc />
    public override bool NextResult()
    {
        ThrowIfClosed(nameof(NextResult));
        if (_sqlite is not null)
        {
            return Sqlite(s => s.NextResult());
        }

        return NextOlapResult();
    }

    /// <inheritdoc />
    public override Task<bool> NextResultAsync(CancellationToken cancellationToken)
        => RunSynchronously(static r => r.NextResult(), cancellationToken);

    private static readonly Task<bool> TrueTask = Task.FromResult(true);
    private static readonly Task<bool> FalseTask = Task.FromResult(false);

    private bool NextOlapResult()
    {
        _result?.Dispose();
        _result = null;
        _hasRow = false;
        _peeked = false;
        if (++_statementIndex >= _statements!.Count)
        {
            return false;
        }

        var statement = _statements[_statementIndex];
        try
        {
            var prepared = _session!.Prepare(statement.Sql);
            for (var i = 0; i < statement.Parameters.Count; i++)
            {
                prepared.Bind(i + 1, ResolveParameter(statement.Parameters[i]));
            }

            _result = prepared.Execute();
            return true;
        }
        catch (DuckDbException ex)
        {
            _session!.Forget(statement.Sql);
            throw RheiException.FromDuckDb(ex, statement.Sql);
        }
        catch (OperationCanceledException)
        {
            _session!.Forget(statement.Sql);
            throw;
        }
    }

    private object? ResolveParameter(OlapParameterRef reference)
    {
        var parameters = _parameters!;
        RheiParameter? parameter = reference.Name is { } name
            ? parameters.FindForPlaceholder(name)
            : reference.Index < parameters.Count ? parameters[reference.Index] : null;
        if (parameter is null)
        {
            throw new InvalidOperationException($"Must add values for the following parameters: {reference.Name ?? "?" + (reference.Index + 1)}");
        }

        if (!parameter.ValueIsSet)
        {
            throw new InvalidOperationException(
                $"Must add values for the following parameters: {reference.Name ?? "?" + (reference.Index + 1)}. Its Value was never set; set DBNull.Value to bind NULL.");
        }

        return parameter.ToOlapValue();
    }

    /// <inheritdoc />
    public override string GetName(int ordinal) => _sqlite is not null ? _sqlite.GetName(ordinal) : Olap().GetName(ordinal);

    /// <inheritdoc />
    public override int GetOrdinal(string name)
    {
        if (_sqlite is not null)
        {
            return _sqlite.GetOrdinal(name);
        }

        var result = Olap();
        for (var i = 0; i < result.FieldCount; i++)
        {
            if (string.Equals(result.GetName(i), name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        for (var i = 0; i < result.FieldCount; i++)
        {
            if (string.Equals(result.GetName(i), name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(name), name, $"No column named '{name}' in the result.");
    }

    /// <inheritdoc />
    public override string GetDataTypeName(int ordinal)
    {
        if (_sqlite is not null)
        {
            return _sqlite.GetDataTypeName(ordinal);
        }

        var type = OlapFieldType(Olap(), ordinal);
        return type == typeof(long) ? "INTEGER" : type == typeof(double) ? "REAL" : type == typeof(byte[]) ? "BLOB" : "TEXT";
    }

    /// <inheritdoc />
    public override Type GetFieldType(int ordinal) => _sqlite is not null ? _sqlite.GetFieldType(ordinal) : OlapFieldType(Olap(), ordinal);

    /// <inheritdoc />
    public override bool IsDBNull(int ordinal) => _sqlite is not null ? _sqlite.IsDBNull(ordinal) : Row().IsDBNull(ordinal);

    /// <inheritdoc />
    public override Task<bool> IsDBNullAsync(int ordinal, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<bool>(cancellationToken);
        }

        try
        {
            return IsDBNull(ordinal) ? TrueTask : FalseTask;
        }
        catch (Exception ex)
        {
            return Task.FromException<bool>(ex);
        }
    }

    /// <inheritdoc />
    public override object GetValue(int ordinal) => _sqlite is not null ? _sqlite.GetValue(ordinal) : OlapValue(ordinal);

    /// <inheritdoc />
    public override int GetValues(object[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (_sqlite is not null)
        {
            var fields = Math.Min(values.Length, _sqlite.FieldCount);
            if (fields == 0)
            {
                // Nothing to copy, but still no values without a row (a DELETE has none): SQLite's reader says so here.
                _ = _sqlite.IsDBNull(0);
            }

            for (var i = 0; i < fields; i++)
            {
                values[i] = _sqlite.GetValue(i);
            }

            return fields;
        }

        var count = Math.Min(values.Length, Row().FieldCount);
        for (var i = 0; i < count; i++)
        {
            values[i] = GetValue(i);
        }

        return count;
    }

    /// <inheritdoc />
    public override long GetInt64(int ordinal)
    {
        if (_sqlite is not null)
        {
            return _sqlite.GetInt64(ordinal);
        }

        var row = Row();
        if (OlapFieldType(row, ordinal) == typeof(long) && !row.IsDBNull(ordinal))
        {
            return row.GetInt64(ordinal);
        }

        return SqliteValueConversion.ToInt64(OlapValue(ordinal));
    }

    /// <inheritdoc />
    public override double GetDouble(int ordinal)
    {
        if (_sqlite is not null)
        {
            return _sqlite.GetDouble(ordinal);
        }

        var row = Row();
        if (OlapFieldType(row, ordinal) == typeof(double) && !row.IsDBNull(ordinal))
        {
            return row.GetDouble(ordinal);
        }

        return SqliteValueConversion.ToDouble(OlapValue(ordinal));
    }

    /// <inheritdoc />
    public override string GetString(int ordinal)
    {
        if (_sqlite is not null)
        {
            return _sqlite.GetString(ordinal);
        }

        var row = Row();
        if (OlapFieldType(row, ordinal) == typeof(string) && !row.IsDBNull(ordinal))
        {
            return row.GetString(ordinal);
        }

        return SqliteValueConversion.ToText(OlapValue(ordinal));
    }

    /// <inheritdoc />
    public override bool GetBoolean(int ordinal) => _sqlite is not null ? _sqlite.GetBoolean(ordinal) : GetInt64(ordinal) != 0;

    /// <inheritdoc />
    public override byte GetByte(int ordinal) => _sqlite is not null ? _sqlite.GetByte(ordinal) : checked((byte)GetInt64(ordinal));

    /// <inheritdoc />
    public override char GetChar(int ordinal) => _sqlite is not null ? _sqlite.GetChar(ordinal) : SqliteValueConversion.ToChar(OlapValue(ordinal));

    /// <inheritdoc />
    public override short GetInt16(int ordinal) => _sqlite is not null ? _sqlite.GetInt16(ordinal) : checked((short)GetInt64(ordinal));

    /// <inheritdoc />
    public override int GetInt32(int ordinal) => _sqlite is not null ? _sqlite.GetInt32(ordinal) : checked((int)GetInt64(ordinal));

    /// <inheritdoc />
    public override float GetFloat(int ordinal) => _sqlite is not null ? _sqlite.GetFloat(ordinal) : (float)GetDouble(ordinal);

    /// <inheritdoc />
    public override decimal GetDecimal(int ordinal) => _sqlite is not null ? _sqlite.GetDecimal(ordinal) : SqliteValueConversion.ToDecimal(OlapValue(ordinal));

    /// <inheritdoc />
    public override DateTime GetDateTime(int ordinal) => _sqlite is not null ? _sqlite.GetDateTime(ordinal) : SqliteValueConversion.ToDateTime(OlapValue(ordinal));

    /// <summary>Reads a value as a <see cref="DateTimeOffset"/>.</summary>
    public DateTimeOffset GetDateTimeOffset(int ordinal) => _sqlite is not null ? _sqlite.GetFieldValue<DateTimeOffset>(ordinal) : SqliteValueConversion.ToDateTimeOffset(OlapValue(ordinal));

    /// <summary>Reads a value as a <see cref="TimeSpan"/>.</summary>
    public TimeSpan GetTimeSpan(int ordinal) => _sqlite is not null ? _sqlite.GetFieldValue<TimeSpan>(ordinal) : SqliteValueConversion.ToTimeSpan(OlapValue(ordinal));

    /// <inheritdoc />
    public override Guid GetGuid(int ordinal) => _sqlite is not null ? _sqlite.GetGuid(ordinal) : SqliteValueConversion.ToGuid(OlapValue(ordinal));

    /// <inheritdoc />
    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
    {
        if (_sqlite is not null)
        {
            return _sqlite.GetBytes(ordinal, dataOffset, buffer, bufferOffset, length);
        }

        var bytes = SqliteValueConversion.ToBlob(OlapValue(ordinal));
        if (buffer is null)
        {
            return bytes.Length;
        }

        CheckBufferArguments(dataOffset, buffer.Length, bufferOffset, length);
        var count = (int)Math.Max(0, Math.Min(length, bytes.Length - dataOffset));
        if (count > 0)
        {
            Array.Copy(bytes, dataOffset, buffer, bufferOffset, count);
        }

        return count;
    }

    /// <inheritdoc />
    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
    {
        if (_sqlite is not null)
        {
            return _sqlite.GetChars(ordinal, dataOffset, buffer, bufferOffset, length);
        }

        var text = GetString(ordinal);
        if (buffer is null)
        {
            return text.Length;
        }

        CheckBufferArguments(dataOffset, buffer.Length, bufferOffset, length);
        var count = (int)Math.Max(0, Math.Min(length, text.Length - dataOffset));
        if (count > 0)
        {
            text.CopyTo((int)dataOffset, buffer, bufferOffset, count);
        }

        return count;
    }

    /// <inheritdoc />
    public override Stream GetStream(int ordinal)
        => _sqlite is not null ? _sqlite.GetStream(ordinal) : new MemoryStream(SqliteValueConversion.ToBlob(OlapValue(ordinal)), writable: false);

    /// <inheritdoc />
    public override TextReader GetTextReader(int ordinal)
        => _sqlite is not null ? _sqlite.GetTextReader(ordinal) : new StringReader(IsDBNull(ordinal) ? string.Empty : GetString(ordinal));

    /// <inheritdoc />
    public override T GetFieldValue<T>(int ordinal)
    {
        if (_sqlite is not null)
        {
            return _sqlite.GetFieldValue<T>(ordinal);
        }

        if (IsDBNull(ordinal))
        {
            if (default(T) is null && typeof(T) != typeof(DBNull))
            {
                return default!;
            }

            if (typeof(T) == typeof(DBNull) || typeof(T) == typeof(object))
            {
                return (T)(object)DBNull.Value;
            }

            throw new InvalidCastException($"The value of column '{GetName(ordinal)}' is NULL. Call IsDBNull before reading it as {typeof(T).Name}.");
        }

        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        object value = type switch
        {
            _ when type == typeof(object) => GetValue(ordinal),
            _ when type == typeof(long) => GetInt64(ordinal),
            _ when type == typeof(int) => GetInt32(ordinal),
            _ when type == typeof(short) => GetInt16(ordinal),
            _ when type == typeof(byte) => GetByte(ordinal),
            _ when type == typeof(sbyte) => checked((sbyte)GetInt64(ordinal)),
            _ when type == typeof(ushort) => checked((ushort)GetInt64(ordinal)),
            _ when type == typeof(uint) => checked((uint)GetInt64(ordinal)),
            _ when type == typeof(ulong) => unchecked((ulong)GetInt64(ordinal)),
            _ when type == typeof(bool) => GetBoolean(ordinal),
            _ when type == typeof(double) => GetDouble(ordinal),
            _ when type == typeof(float) => GetFloat(ordinal),
            _ when type == typeof(decimal) => GetDecimal(ordinal),
            _ when type == typeof(string) => GetString(ordinal),
            _ when type == typeof(char) => GetChar(ordinal),
            _ when type == typeof(byte[]) => SqliteValueConversion.ToBlob(OlapValue(ordinal)),
            _ when type == typeof(DateTime) => GetDateTime(ordinal),
            _ when type == typeof(DateTimeOffset) => GetDateTimeOffset(ordinal),
            _ when type == typeof(DateOnly) => DateOnly.FromDateTime(GetDateTime(ordinal)),
            _ when type == typeof(TimeOnly) => SqliteValueConversion.ToTimeOnly(OlapValue(ordinal)),
            _ when type == typeof(TimeSpan) => GetTimeSpan(ordinal),
            _ when type == typeof(Guid) => GetGuid(ordinal),
            _ when type == typeof(Stream) => GetStream(ordinal),
            _ when type == typeof(TextReader) => GetTextReader(ordinal),
            _ when type.IsEnum => Enum.ToObject(type, GetInt64(ordinal)),
            _ => throw new InvalidCastException($"Cannot read column '{GetName(ordinal)}' as {typeof(T).Name}."),
        };
        return (T)value;
    }

    /// <inheritdoc />
    public override DataTable? GetSchemaTable()
        => _sqlite is not null ? _sqlite.GetSchemaTable() : OlapSchemaTable.Build(Olap(), this);

    /// <inheritdoc />
    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);

    /// <inheritdoc />
    public override void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        try
        {
            if (_sqlite is not null)
            {
                Sqlite(s =>
                {
                    s.Dispose();
                    return 0;
                });
            }
            else
            {
                _result?.Dispose();
                _result = null;
            }
        }
        finally
        {
            _command?.OnReaderClosed(this);
            if (_schemaChange is { } schemaChange)
            {
                _schemaChange = null;
                schemaChange.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            if ((_behavior & CommandBehavior.CloseConnection) != 0)
            {
                _connection.Close();
            }
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Close();
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override Task CloseAsync()
    {
        Close();
        return Task.CompletedTask;
    }

    private DuckDbResultReader Olap()
    {
        ThrowIfClosed("reading");
        return _result ?? throw new InvalidOperationException("No result is available: every statement has been read.");
    }

    private DuckDbResultReader Row()
    {
        var result = Olap();
        return _hasRow ? result : throw new InvalidOperationException("No data exists for the row/column. Call Read first, and read values only while it returns true.");
    }

    private T OlapCall<T>(Func<DuckDbResultReader, T> call)
    {
        try
        {
            return call(Olap());
        }
        catch (DuckDbException ex)
        {
            throw RheiException.FromDuckDb(ex, _statements![_statementIndex].Sql);
        }
    }

    private T Sqlite<T>(Func<DbDataReader, T> call)
    {
        try
        {
            return call(_sqlite!);
        }
        catch (SqliteException ex)
        {
            throw RheiException.FromSqlite(ex);
        }
    }

    private void ThrowIfClosed(string operation)
    {
        if (_closed)
        {
            throw new InvalidOperationException($"Invalid attempt to call {operation} when the reader is closed.");
        }
    }
}
