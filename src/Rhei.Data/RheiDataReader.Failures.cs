namespace Rhei.Data;

/// <summary>The reader's state rules and argument checks, the same for both engines' cursors.</summary>
public sealed partial class RheiDataReader
{
    private static readonly Task<bool> TrueTask = Task.FromResult(true);
    private static readonly Task<bool> FalseTask = Task.FromResult(false);

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

    /// <summary>The cursor, for a call that needs an open reader but no row (names, types, moving on).</summary>
    private RheiCursor Open(string operation)
    {
        if (_closed)
        {
            throw new InvalidOperationException($"Invalid attempt to call {operation} when the reader is closed.");
        }

        return _cursor;
    }

    /// <summary>The cursor, for a call that reads the current row's values.</summary>
    private RheiCursor Row()
    {
        if (_closed)
        {
            throw new InvalidOperationException("Invalid attempt to read a value when the reader is closed.");
        }

        return _hasRow ? _cursor : throw new InvalidOperationException("No data exists for the row/column. Call Read first, and read values only while it returns true.");
    }

    // The checks SqliteDataReader makes, so both engines refuse the same bad arguments.
    internal static void CheckBufferArguments(long dataOffset, int bufferLength, int bufferOffset, int length)
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
