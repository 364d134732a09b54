namespace Rhei.Data.Olap;

/// <summary>The DuckDB cursor's generic getter, its column names and its failures.</summary>
internal sealed partial class DuckDbCursor
{
    public override T GetFieldValue<T>(int ordinal)
    {
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
            _ when type == typeof(byte[]) => SqliteValueConversion.ToBlob(GetValue(ordinal)),
            _ when type == typeof(DateTime) => GetDateTime(ordinal),
            _ when type == typeof(DateTimeOffset) => GetDateTimeOffset(ordinal),
            _ when type == typeof(DateOnly) => DateOnly.FromDateTime(GetDateTime(ordinal)),
            _ when type == typeof(TimeOnly) => SqliteValueConversion.ToTimeOnly(GetValue(ordinal)),
            _ when type == typeof(TimeSpan) => GetTimeSpan(ordinal),
            _ when type == typeof(Guid) => GetGuid(ordinal),
            _ when type == typeof(Stream) => GetStream(ordinal),
            _ when type == typeof(TextReader) => GetTextReader(ordinal),
            _ when type.IsEnum => Enum.ToObject(type, GetInt64(ordinal)),
            _ => throw new InvalidCastException($"Cannot read column '{GetName(ordinal)}' as {typeof(T).Name}."),
        };
        return (T)value;
    }

    // SQLite's names when SQLite compiles the statement to the same number of columns; DuckDB's own otherwise.
    private string[]? NamesFor(int index, DuckDbResultReader result)
    {
        var names = _runner.SqliteNames(index);
        return names is not null && names.Length == result.FieldCount ? names : null;
    }

    private DuckDbResultReader Current()
        => _result ?? throw new InvalidOperationException("No result is available: every statement has been read.");

    private T Call<T>(Func<DuckDbResultReader, T> call)
    {
        try
        {
            return call(Current());
        }
        catch (DuckDbException ex)
        {
            throw RheiException.FromDuckDb(ex, _runner.Statements[_statementIndex].Sql);
        }
    }

    private Type FieldType(DuckDbResultReader result, int ordinal)
    {
        try
        {
            return result.GetSqliteFieldType(ordinal);
        }
        catch (NotSupportedException ex)
        {
            throw UnreadableColumn(ordinal, ex);
        }
    }

    // A DuckDB type with no SQLite storage class (LIST, STRUCT, MAP…) is the engine's answer, not a misuse of the reader.
    private RheiException UnreadableColumn(int ordinal, NotSupportedException ex)
    {
        var wrapped = new RheiException($"{ex.Message} (engine: DuckDB)", RheiException.DuckDbEngineName, 0, ex);
        wrapped.Data["Column"] = GetName(ordinal);
        if (_statementIndex < _runner.Statements.Count)
        {
            wrapped.Data["TranslatedSql"] = _runner.Statements[_statementIndex].Sql;
        }

        return wrapped;
    }
}
