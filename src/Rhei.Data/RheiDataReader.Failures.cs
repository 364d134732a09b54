using Rhei.Data.Olap;

namespace Rhei.Data;

/// <summary>How the reader fails: argument checks shared by both engines, and DuckDB column errors as <see cref="RheiException"/>.</summary>
public sealed partial class RheiDataReader
{
    // As DbDataReader's own async methods: a cancelled token gives a cancelled task, an error a faulted one.
    private Task<bool> RunSynchronously(Func<RheiDataReader, bool> call, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<bool>(cancellationToken);
        }

        try
        {
            return call(this) ? TrueTask : FalseTask;
        }
        catch (Exception ex)
        {
            return Task.FromException<bool>(ex);
        }
    }

    private object OlapValue(int ordinal)
    {
        var row = Row();
        try
        {
            return row.GetSqliteValue(ordinal);
        }
        catch (NotSupportedException ex)
        {
            throw UnreadableOlapColumn(row, ordinal, ex);
        }
    }

    private Type OlapFieldType(DuckDbResultReader result, int ordinal)
    {
        try
        {
            return result.GetSqliteFieldType(ordinal);
        }
        catch (NotSupportedException ex)
        {
            throw UnreadableOlapColumn(result, ordinal, ex);
        }
    }

    // A DuckDB type with no SQLite storage class (LIST, STRUCT, MAP…) is the engine's answer, not a misuse of the reader.
    private RheiException UnreadableOlapColumn(DuckDbResultReader result, int ordinal, NotSupportedException ex)
    {
        var wrapped = new RheiException($"{ex.Message} (engine: DuckDB)", RheiException.DuckDbEngineName, 0, ex);
        wrapped.Data["Column"] = result.GetName(ordinal);
        if (_statementIndex >= 0 && _statementIndex < _statements!.Count)
        {
            wrapped.Data["TranslatedSql"] = _statements[_statementIndex].Sql;
        }

        return wrapped;
    }

    // The checks SqliteDataReader makes, so both engines refuse the same bad arguments.
    private static void CheckBufferArguments(long dataOffset, int bufferLength, int bufferOffset, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dataOffset);
        ArgumentOutOfRangeException.ThrowIfNegative(bufferOffset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bufferOffset, bufferLength);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (bufferOffset + length > bufferLength)
        {
            throw new ArgumentException($"bufferOffset ({bufferOffset}) plus length ({length}) is past the end of the buffer ({bufferLength}).", nameof(length));
        }
    }
}
