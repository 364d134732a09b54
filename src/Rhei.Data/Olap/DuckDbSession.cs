using DuckDB.NET.Native;
using Rhei.Data.Olap.Native;
using DuckDBNative = DuckDB.NET.Native.NativeMethods;

namespace Rhei.Data.Olap;

/// <summary>
/// One DuckDB connection (<c>duckdb_connection</c>). Used by one thread at a time; only
/// <see cref="Interrupt"/> may be called from another thread. Every call blocks until DuckDB returns.
/// </summary>
internal sealed class DuckDbSession : IDisposable
{
    private readonly DuckDBNativeConnection _handle;

    internal DuckDbSession(DuckDBNativeConnection handle, DuckDbChangeTracker changes)
    {
        _handle = handle;
        Changes = changes;
    }

    /// <summary>The database-wide count of writes, which decides whether a cached statement may be reused.</summary>
    internal DuckDbChangeTracker Changes { get; }

    internal DuckDBNativeConnection Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle;
        }
    }

    /// <summary>Runs every statement in <paramref name="sql"/> and discards the results.</summary>
    /// <remarks>Stops at the first failing statement; in autocommit mode the earlier ones stay committed.</remarks>
    public void Execute(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        using var result = new DuckDbResultHandle();
        Changes.BeginWrite();
        try
        {
            DuckDbErrors.ThrowIfFailed(DuckDBNative.Query.DuckDBQuery(Handle, sql, out result.Result), result);
        }
        finally
        {
            Changes.EndWrite();
        }
    }

    /// <summary>
    /// Runs every statement in <paramref name="sql"/>, handing the positional <paramref name="args"/> out to
    /// the statements in order, and returns the rows changed by the last statement.
    /// </summary>
    /// <remarks>
    /// Each statement is prepared just before it runs, so a later statement may use a table an earlier one
    /// created. An argument count that does not match is therefore found only when the statements run out of
    /// arguments, or after the last one; statements already run stay committed in autocommit mode.
    /// </remarks>
    public long ExecuteNonQuery(string sql, IReadOnlyList<object?>? args = null)
    {
        ArgumentNullException.ThrowIfNull(sql);
        DuckDBNativeConnection connection = Handle;
        int supplied = args?.Count ?? 0;
        int count = DuckDBNative.ExtractStatements.DuckDBExtractStatements(connection, sql, out DuckDBExtractedStatements extracted);
        using (extracted)
        {
            ThrowIfExtractFailed(count, extracted);

            long rowsChanged = 0;
            int next = 0;
            for (int i = 0; i < count; i++)
            {
                using DuckDbPreparedStatement statement = PrepareExtracted(connection, extracted, i);
                if (next + statement.ParameterCount > supplied)
                {
                    throw ArgumentCountMismatch(supplied, "more");
                }

                for (int p = 1; p <= statement.ParameterCount; p++)
                {
                    statement.Bind(p, args![next++]);
                }

                rowsChanged = statement.ExecuteNonQuery();
            }

            if (next != supplied)
            {
                throw ArgumentCountMismatch(supplied, "fewer");
            }

            return rowsChanged;
        }
    }

    /// <summary>Runs one statement with positional arguments bound to parameters 1..n and returns its rows.</summary>
    public DuckDbResultReader Query(string sql, IReadOnlyList<object?>? args = null)
    {
        using DuckDbPreparedStatement statement = Prepare(sql);
        int supplied = args?.Count ?? 0;
        if (statement.ParameterCount != supplied)
        {
            throw new ArgumentException(
                $"The SQL has {statement.ParameterCount} parameter(s) but {supplied} argument(s) were supplied. Pass one argument per parameter, in order.",
                nameof(args));
        }

        for (int i = 0; i < supplied; i++)
        {
            statement.Bind(i + 1, args![i]);
        }

        // A materialised result does not depend on the statement, which can go now.
        return statement.Execute();
    }

    /// <summary>Prepares a single statement.</summary>
    public DuckDbPreparedStatement Prepare(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        DuckDBState state = DuckDBNative.PreparedStatements.DuckDBPrepare(Handle, sql, out DuckDBPreparedStatement statement);
        try
        {
            DuckDbErrors.ThrowIfFailed(state, statement);
        }
        catch
        {
            statement.Dispose();
            throw;
        }

        return new DuckDbPreparedStatement(statement, Changes);
    }

    /// <summary>Creates an appender for <paramref name="table"/>; rows become visible after Flush or Close.</summary>
    public DuckDbAppender CreateAppender(string table, string? schema = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        DuckDBState state = DuckDbNativeMethods.Appender.CreateExt(Handle, catalog: null, schema, table, out DuckDbAppenderHandle appender);
        if (state != DuckDBState.Success)
        {
            // The handle is allocated even when creation fails, and the error (e.g. CATALOG) is on it.
            using (appender)
            {
                DuckDbErrors.ThrowForAppender(appender);
            }
        }

        return new DuckDbAppender(appender, Changes);
    }

    /// <summary>
    /// Cancels the statement running on this session from any thread; it fails with
    /// <see cref="OperationCanceledException"/> and the session stays usable. Does nothing once disposed, so a
    /// cancellation callback racing with disposal is harmless.
    /// </summary>
    public void Interrupt()
    {
        bool added = false;
        try
        {
            // AddRef keeps the connection alive for the duration of the call if Dispose runs concurrently.
            _handle.DangerousAddRef(ref added);
            DuckDBNative.Startup.DuckDBInterrupt(_handle);
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    public void Dispose() => _handle.Dispose();

    private static void ThrowIfExtractFailed(int count, DuckDBExtractedStatements extracted)
    {
        // Zero statements is either a parse error (with a message) or an empty string (without).
        if (count == 0 && DuckDBNative.ExtractStatements.DuckDBExtractStatementsError(extracted) is string error)
        {
            DuckDbErrors.Throw(error, errorType: null);
        }
    }

    private DuckDbPreparedStatement PrepareExtracted(DuckDBNativeConnection connection, DuckDBExtractedStatements extracted, int index)
    {
        DuckDBState state = DuckDBNative.ExtractStatements.DuckDBPrepareExtractedStatement(connection, extracted, index, out DuckDBPreparedStatement statement);
        try
        {
            DuckDbErrors.ThrowIfFailed(state, statement);
        }
        catch
        {
            statement.Dispose();
            throw;
        }

        return new DuckDbPreparedStatement(statement, Changes);
    }

    private static ArgumentException ArgumentCountMismatch(int supplied, string comparison)
        => new($"The SQL has {comparison} parameters than the {supplied} argument(s) supplied. Pass one argument per parameter, in order.", "args");
}
