using System.Data;

namespace Rhei.Data;

/// <summary>
/// One engine's results under a <see cref="RheiDataReader"/>: the reader holds one cursor and delegates to it, and keeps
/// the ADO.NET state rules (closed reader, no current row, cancellation) to itself, so a cursor is called only while the
/// reader is open and, for values, only while it is on a row. An abstract class with sealed implementations, so that
/// reading a cell costs one virtual call.
/// </summary>
internal abstract class RheiCursor : IDisposable
{
    public abstract int FieldCount { get; }

    /// <summary>Whether the current result has a row; false once the cursor is disposed.</summary>
    public abstract bool HasRows { get; }

    /// <summary>Rows changed by the statements run so far, or -1; still answered after <see cref="Dispose"/>.</summary>
    public abstract int RecordsAffected { get; }

    public abstract bool Read();

    public abstract bool NextResult();

    public abstract string GetName(int ordinal);

    public abstract int GetOrdinal(string name);

    public abstract string GetDataTypeName(int ordinal);

    public abstract Type GetFieldType(int ordinal);

    public abstract bool IsDBNull(int ordinal);

    public abstract object GetValue(int ordinal);

    public abstract long GetInt64(int ordinal);

    public abstract double GetDouble(int ordinal);

    public abstract string GetString(int ordinal);

    public abstract bool GetBoolean(int ordinal);

    public abstract byte GetByte(int ordinal);

    public abstract char GetChar(int ordinal);

    public abstract short GetInt16(int ordinal);

    public abstract int GetInt32(int ordinal);

    public abstract float GetFloat(int ordinal);

    public abstract decimal GetDecimal(int ordinal);

    public abstract DateTime GetDateTime(int ordinal);

    public abstract DateTimeOffset GetDateTimeOffset(int ordinal);

    public abstract TimeSpan GetTimeSpan(int ordinal);

    public abstract Guid GetGuid(int ordinal);

    public abstract long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length);

    public abstract long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length);

    public abstract Stream GetStream(int ordinal);

    public abstract TextReader GetTextReader(int ordinal);

    public abstract T GetFieldValue<T>(int ordinal);

    public abstract DataTable? GetSchemaTable();

    /// <summary>Releases the engine's result; safe to call more than once.</summary>
    public abstract void Dispose();
}
