using System.Collections;
using System.Data;
using System.Data.Common;
using Rhei.Data.Oltp;

namespace Rhei.Data;

/// <summary>
/// Reads the results of a <see cref="RheiCommand"/>. Whichever engine answered (<see cref="Route"/>),
/// values come back as SQLite would return them: <see cref="long"/>, <see cref="double"/>,
/// <see cref="string"/>, <see cref="byte"/>[] or <see cref="DBNull"/>, and the typed getters convert
/// them as Microsoft.Data.Sqlite does.
/// </summary>
/// <remarks>
/// The command executes and hands the reader one engine's cursor (SQLite's or DuckDB's); the reader keeps the ADO.NET
/// state rules — closed reader, no current row, cancellation — and delegates everything else to the cursor.
/// </remarks>
public sealed partial class RheiDataReader : DbDataReader
{
    private readonly RheiConnection _connection;
    private readonly CommandBehavior _behavior;
    private readonly RheiCursor _cursor;
    private bool _hasRow;
    private bool _closed;
    private RheiCommand? _command;

    internal RheiDataReader(RheiConnection connection, RheiCursor cursor, RheiRoute route, CommandBehavior behavior)
    {
        _connection = connection;
        _cursor = cursor;
        _behavior = behavior;
        Route = route;
    }

    /// <summary>The engine that answered: <see cref="RheiRoute.Oltp"/> (SQLite) or <see cref="RheiRoute.Olap"/> (DuckDB).</summary>
    public RheiRoute Route { get; }

    /// <inheritdoc />
    public override int Depth => 0;

    /// <inheritdoc />
    public override int FieldCount => Open(nameof(FieldCount)).FieldCount;

    /// <inheritdoc />
    public override bool HasRows => _cursor.HasRows;

    /// <inheritdoc />
    public override bool IsClosed => _closed;

    /// <inheritdoc />
    public override int RecordsAffected => _cursor.RecordsAffected;

    /// <inheritdoc />
    public override object this[int ordinal] => GetValue(ordinal);

    /// <inheritdoc />
    public override object this[string name] => GetValue(GetOrdinal(name));

    /// <summary>A reader over rows the provider built itself (the answers of <c>PRAGMA rhei_*</c>).</summary>
    internal static RheiDataReader FromTable(RheiConnection connection, DataTable table, CommandBehavior behavior)
        => new(connection, new SqliteCursor(table.CreateDataReader(), schemaChange: null), RheiRoute.Oltp, behavior);

    /// <summary>The command that returned this reader: told when the reader closes, so it accepts new text again.</summary>
    internal void AttachCommand(RheiCommand command) => _command = command;

    /// <inheritdoc />
    public override bool Read()
    {
        _hasRow = Open(nameof(Read)).Read();
        return _hasRow;
    }

    /// <inheritdoc />
    public override Task<bool> ReadAsync(CancellationToken cancellationToken)
        => RunSynchronously(static r => r.Read(), cancellationToken);

    /// <inheritdoc />
    public override bool NextResult()
    {
        var cursor = Open(nameof(NextResult));
        _hasRow = false;
        return cursor.NextResult();
    }

    /// <inheritdoc />
    public override Task<bool> NextResultAsync(CancellationToken cancellationToken)
        => RunSynchronously(static r => r.NextResult(), cancellationToken);

    /// <inheritdoc />
    public override string GetName(int ordinal) => Open(nameof(GetName)).GetName(ordinal);

    /// <inheritdoc />
    public override int GetOrdinal(string name) => Open(nameof(GetOrdinal)).GetOrdinal(name);

    /// <inheritdoc />
    public override string GetDataTypeName(int ordinal) => Open(nameof(GetDataTypeName)).GetDataTypeName(ordinal);

    /// <inheritdoc />
    public override Type GetFieldType(int ordinal) => Open(nameof(GetFieldType)).GetFieldType(ordinal);

    /// <inheritdoc />
    public override bool IsDBNull(int ordinal) => Row().IsDBNull(ordinal);

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
    public override object GetValue(int ordinal) => Row().GetValue(ordinal);

    /// <inheritdoc />
    public override int GetValues(object[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var cursor = Row();
        var count = Math.Min(values.Length, cursor.FieldCount);
        for (var i = 0; i < count; i++)
        {
            values[i] = cursor.GetValue(i);
        }

        return count;
    }

    /// <inheritdoc />
    public override long GetInt64(int ordinal) => Row().GetInt64(ordinal);

    /// <inheritdoc />
    public override double GetDouble(int ordinal) => Row().GetDouble(ordinal);

    /// <inheritdoc />
    public override string GetString(int ordinal) => Row().GetString(ordinal);

    /// <inheritdoc />
    public override bool GetBoolean(int ordinal) => Row().GetBoolean(ordinal);

    /// <inheritdoc />
    public override byte GetByte(int ordinal) => Row().GetByte(ordinal);

    /// <inheritdoc />
    public override char GetChar(int ordinal) => Row().GetChar(ordinal);

    /// <inheritdoc />
    public override short GetInt16(int ordinal) => Row().GetInt16(ordinal);

    /// <inheritdoc />
    public override int GetInt32(int ordinal) => Row().GetInt32(ordinal);

    /// <inheritdoc />
    public override float GetFloat(int ordinal) => Row().GetFloat(ordinal);

    /// <inheritdoc />
    public override decimal GetDecimal(int ordinal) => Row().GetDecimal(ordinal);

    /// <inheritdoc />
    public override DateTime GetDateTime(int ordinal) => Row().GetDateTime(ordinal);

    /// <summary>Reads a value as a <see cref="DateTimeOffset"/>.</summary>
    public DateTimeOffset GetDateTimeOffset(int ordinal) => Row().GetDateTimeOffset(ordinal);

    /// <summary>Reads a value as a <see cref="TimeSpan"/>.</summary>
    public TimeSpan GetTimeSpan(int ordinal) => Row().GetTimeSpan(ordinal);

    /// <inheritdoc />
    public override Guid GetGuid(int ordinal) => Row().GetGuid(ordinal);

    /// <inheritdoc />
    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
        => Row().GetBytes(ordinal, dataOffset, buffer, bufferOffset, length);

    /// <inheritdoc />
    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
        => Row().GetChars(ordinal, dataOffset, buffer, bufferOffset, length);

    /// <inheritdoc />
    public override Stream GetStream(int ordinal) => Row().GetStream(ordinal);

    /// <inheritdoc />
    public override TextReader GetTextReader(int ordinal) => Row().GetTextReader(ordinal);

    /// <inheritdoc />
    public override T GetFieldValue<T>(int ordinal) => Row().GetFieldValue<T>(ordinal);

    /// <inheritdoc />
    public override DataTable? GetSchemaTable() => Open(nameof(GetSchemaTable)).GetSchemaTable();

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
        _hasRow = false;
        try
        {
            _cursor.Dispose();
        }
        finally
        {
            _command?.OnReaderClosed(this);
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
}
