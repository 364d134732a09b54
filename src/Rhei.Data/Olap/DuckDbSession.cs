using Rhei.Data.Olap.Native;

namespace Rhei.Data.Olap;

/// <summary>
/// One DuckDB connection (<c>duckdb_connection</c>). Used by one thread at a time; only
/// <see cref="Interrupt"/> may be called from another thread. Every call blocks until DuckDB returns.
/// </summary>
internal sealed class DuckDbSession : IDisposable
{
    private readonly DuckDbConnectionHandle _handle;

    internal DuckDbSession(DuckDbConnectionHandle handle, DuckDbChangeTracker changes)
    {
        _handle = handle;
        Changes = changes;
    }

    /// <summary>The database-wide count of writes, which decides whether a cached statement may be reused.</summary>
    internal DuckDbChangeTracker Changes { get; }

    internal DuckDbConnectionHandle Handle
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
            DuckDbErrors.ThrowIfFailed(NativeMethods.Query.Execute(Handle, sql, result), result);
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
        DuckDbConnectionHandle connection = Handle;
        int supplied = args?.Count ?? 0;
        ulong count = NativeMethods.Extract.ExtractStatements(connection, sql, out DuckDbExtractedStatementsHandle extracted);
        using (extracted)
        {
            ThrowIfExtractFailed(count, extracted);

            long rowsChanged = 0;
            int next = 0;
            for (ulong i = 0; i < count; i++)
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
        DuckDbState state = NativeMethods.Prepared.Prepare(Handle, sql, out DuckDbPreparedStatementHandle statement);
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

    /// <summary>Splits <paramref name="sql"/> into statements and prepares each; empty SQL gives an empty list.</summary>
    /// <remarks>
    /// All statements are prepared before any runs, so one that needs a table created by an earlier statement
    /// fails here; <see cref="ExecuteNonQuery"/> prepares each statement just before running it.
    /// </remarks>
    public IReadOnlyList<DuckDbPreparedStatement> PrepareAll(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        DuckDbConnectionHandle connection = Handle;
        ulong count = NativeMethods.Extract.ExtractStatements(connection, sql, out DuckDbExtractedStatementsHandle extracted);
        using (extracted)
        {
            ThrowIfExtractFailed(count, extracted);
            var statements = new List<DuckDbPreparedStatement>((int)count);
            try
            {
                for (ulong i = 0; i < count; i++)
                {
                    statements.Add(PrepareExtracted(connection, extracted, i));
                }
            }
            catch
            {
                foreach (DuckDbPreparedStatement statement in statements)
                {
                    statement.Dispose();
                }

                throw;
            }

            return statements;
        }
    }

    /// <summary>Creates an appender for <paramref name="table"/>; rows become visible after Flush or Close.</summary>
    public DuckDbAppender CreateAppender(string table, string? schema = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        DuckDbState state = NativeMethods.Appender.CreateExt(Handle, catalog: null, schema, table, out DuckDbAppenderHandle appender);
        if (state != DuckDbState.Success)
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
            NativeMethods.Startup.Interrupt(_handle);
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

    private static void ThrowIfExtractFailed(ulong count, DuckDbExtractedStatementsHandle extracted)
    {
        // Zero statements is either a parse error (with a message) or an empty string (without).
        if (count == 0 && NativeMethods.Extract.ExtractStatementsError(extracted) is string error)
        {
            DuckDbErrors.Throw(error, errorType: null);
        }
    }

    private DuckDbPreparedStatement PrepareExtracted(DuckDbConnectionHandle connection, DuckDbExtractedStatementsHandle extracted, ulong index)
    {
        DuckDbState state = NativeMethods.Extract.PrepareExtractedStatement(connection, extracted, index, out DuckDbPreparedStatementHandle statement);
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
