using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Rhei.Data;
using Rhei.Data.Sql;

namespace Rhei.EntityFrameworkCore.Diagnostics.Internal;

/// <summary>
/// Applies the temporal tag written by <c>TemporalAsOf</c>/<c>TemporalAll</c>/… to the command EF is about to run:
/// every table of the query gets a <c>FOR SYSTEM_TIME</c> clause (<see cref="TemporalTag"/>), which only the
/// temporal DuckDB mirror answers.
/// </summary>
/// <remarks>
/// A tag is the only thing a LINQ operator can add to EF's SQL without a query pipeline of Rhei's own (EF's SQLite
/// generator has no place for <c>FOR SYSTEM_TIME</c> after a table name); the rewrite happens on the final text,
/// so split queries, includes and joins all read the same point in time. Registered as an EF service, so it runs
/// for every Rhei context without appearing among the application's interceptors.
/// </remarks>
public sealed class RheiTemporalCommandInterceptor : DbCommandInterceptor
{
    /// <inheritdoc />
    public override InterceptionResult<DbDataReader> ReaderExecuting(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Rewrite(command);
        return result;
    }

    /// <inheritdoc />
    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Rewrite(command);
        return ValueTask.FromResult(result);
    }

    /// <inheritdoc />
    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Rewrite(command);
        return result;
    }

    /// <inheritdoc />
    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Rewrite(command);
        return ValueTask.FromResult(result);
    }

    /// <inheritdoc />
    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        // ExecuteUpdate/ExecuteDelete over a temporal query: TemporalTag refuses with a clear message.
        Rewrite(command);
        return result;
    }

    /// <inheritdoc />
    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Rewrite(command);
        return ValueTask.FromResult(result);
    }

    private static void Rewrite(DbCommand command)
    {
        if (command.Connection is not RheiConnection connection)
        {
            return;
        }

        var text = command.CommandText;
        if (TemporalTag.Apply(text, connection.Options.SyncMode == RheiSyncMode.Temporal) is { } rewritten)
        {
            command.CommandText = rewritten;
        }
    }
}
