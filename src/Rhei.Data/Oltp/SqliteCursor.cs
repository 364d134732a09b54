using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Rhei.Data.Oltp;

/// <summary>
/// The SQLite route's results: the reader Microsoft.Data.Sqlite returned for an executed command (or a provider-built
/// table for <c>PRAGMA rhei_*</c>), whose values already are SQLite's. Engine errors while stepping come out as
/// <see cref="RheiException"/>; a schema change's lock is released when the cursor goes.
/// </summary>
internal sealed class SqliteCursor : RheiCursor
{
    private readonly DbDataReader _reader;
    private IAsyncDisposable? _schemaChange;

    /// <param name="reader">The executed command's reader; the cursor owns it.</param>
    /// <param name="schemaChange">Held until the cursor is disposed: replication waits while a DDL statement's results are read.</param>
    public SqliteCursor(DbDataReader reader, IAsyncDisposable? schemaChange)
    {
        _reader = reader;
        _schemaChange = schemaChange;
    }

    public override int FieldCount => Translate(static r => r.FieldCount);

    public override bool HasRows => Translate(static r => r.HasRows);

    public override int RecordsAffected => _reader.RecordsAffected;

    public override bool Read() => Translate(static r => r.Read());

    public override bool NextResult() => Translate(static r => r.NextResult());

    public override string GetName(int ordinal) => _reader.GetName(ordinal);

    public override int GetOrdinal(string name) => _reader.GetOrdinal(name);

    public override string GetDataTypeName(int ordinal) => _reader.GetDataTypeName(ordinal);

    public override Type GetFieldType(int ordinal) => _reader.GetFieldType(ordinal);

    public override bool IsDBNull(int ordinal) => _reader.IsDBNull(ordinal);

    public override object GetValue(int ordinal) => _reader.GetValue(ordinal);

    public override long GetInt64(int ordinal) => _reader.GetInt64(ordinal);

    public override double GetDouble(int ordinal) => _reader.GetDouble(ordinal);

    public override string GetString(int ordinal) => _reader.GetString(ordinal);

    public override bool GetBoolean(int ordinal) => _reader.GetBoolean(ordinal);

    public override byte GetByte(int ordinal) => _reader.GetByte(ordinal);

    public override char GetChar(int ordinal) => _reader.GetChar(ordinal);

    public override short GetInt16(int ordinal) => _reader.GetInt16(ordinal);

    public override int GetInt32(int ordinal) => _reader.GetInt32(ordinal);

    public override float GetFloat(int ordinal) => _reader.GetFloat(ordinal);

    public override decimal GetDecimal(int ordinal) => _reader.GetDecimal(ordinal);

    public override DateTime GetDateTime(int ordinal) => _reader.GetDateTime(ordinal);

    public override DateTimeOffset GetDateTimeOffset(int ordinal) => _reader.GetFieldValue<DateTimeOffset>(ordinal);

    public override TimeSpan GetTimeSpan(int ordinal) => _reader.GetFieldValue<TimeSpan>(ordinal);

    public override Guid GetGuid(int ordinal) => _reader.GetGuid(ordinal);

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
        => _reader.GetBytes(ordinal, dataOffset, buffer, bufferOffset, length);

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
        => _reader.GetChars(ordinal, dataOffset, buffer, bufferOffset, length);

    public override Stream GetStream(int ordinal) => _reader.GetStream(ordinal);

    public override TextReader GetTextReader(int ordinal) => _reader.GetTextReader(ordinal);

    public override T GetFieldValue<T>(int ordinal) => _reader.GetFieldValue<T>(ordinal);

    public override DataTable? GetSchemaTable() => _reader.GetSchemaTable();

    public override void Dispose()
    {
        try
        {
            Translate(static r =>
            {
                r.Dispose();
                return 0;
            });
        }
        finally
        {
            if (_schemaChange is { } schemaChange)
            {
                _schemaChange = null;
                schemaChange.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
    }

    // Stepping (Read, NextResult, the first FieldCount, disposing the rest of the statements) is where SQLite fails.
    private T Translate<T>(Func<DbDataReader, T> call)
    {
        try
        {
            return call(_reader);
        }
        catch (SqliteException ex)
        {
            throw RheiException.FromSqlite(ex);
        }
    }
}
