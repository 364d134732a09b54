using Apache.Arrow;
using Apache.Arrow.Flight.Server;
using Grpc.Core;

namespace Rhei.Data.FlightSql.Internal;

/// <summary>
/// Runs SQL for the server as any application runs a RheiCommand: opened from the data source, planned and routed
/// when it runs (at DoGet, not at GetFlightInfo), its result streamed from <c>ExecuteArrowReaderAsync</c> so that a
/// DuckDB answer travels as DuckDB's own Arrow batches. The call's token is the command's token: a client that
/// cancels its stream interrupts the engine.
/// </summary>
internal sealed class StatementRunner(RheiDataSource dataSource, RheiFlightSqlOptions options)
{
    /// <summary>The response header naming the engine the planner chose (<c>sqlite</c> or <c>duckdb</c>).</summary>
    public const string RouteHeader = "rhei-route";

    /// <summary>The response header naming the routing rule that decided it (as <c>RheiRouteExplanation.Rule</c>).</summary>
    public const string RouteRuleHeader = "rhei-route-rule";

    private int _running;

    /// <summary>How many statements are executing now (a cancelled one leaves this count when its engine stopped).</summary>
    public int Running => Volatile.Read(ref _running);

    public async Task StreamQueryAsync(
        string sql, BoundParameter[]? parameters, FlightServerRecordBatchStreamWriter writer, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        Interlocked.Increment(ref _running);
        try
        {
            await using var session = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = session.Connection.CreateCommand();
            command.CommandText = sql;
            if (parameters is not null)
            {
                ArrowParameterBinder.Bind(command, parameters);
            }

            var route = command.ExplainRoute();
            RefuseWriteWhenReadOnly(route, sql);
            var headers = new Metadata
            {
                { RouteHeader, route.Target == RheiRoute.Olap ? "duckdb" : "sqlite" },
                { RouteRuleHeader, route.Rule },
            };
            ResponseCompression.Add(headers, context, options.CompressResponses);
            await context.WriteResponseHeadersAsync(headers).ConfigureAwait(false);

            using var stream = await command.ExecuteArrowReaderAsync(cancellationToken).ConfigureAwait(false);
            await writer.SetupStream(stream.Schema).ConfigureAwait(false);
            while (await stream.ReadNextRecordBatchAsync(cancellationToken).ConfigureAwait(false) is { } batch)
            {
                using (batch)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await writer.WriteAsync(batch).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    /// <summary>The schema a query's result has, read by running it and reading no batch.</summary>
    public async Task<Apache.Arrow.Schema> QuerySchemaAsync(string sql, BoundParameter[]? parameters, CancellationToken cancellationToken)
    {
        await using var session = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = session.Connection.CreateCommand();
        command.CommandText = sql;
        if (parameters is not null)
        {
            ArrowParameterBinder.Bind(command, parameters);
        }

        RefuseWriteWhenReadOnly(command.ExplainRoute(), sql);
        using var stream = await command.ExecuteArrowReaderAsync(cancellationToken).ConfigureAwait(false);
        return stream.Schema;
    }

    /// <summary>
    /// Runs a write (always planned for SQLite) once per parameter row, all rows in one transaction, and returns the
    /// rows affected. Refused outright when the server is read-only.
    /// </summary>
    public async Task<long> ExecuteUpdateAsync(string sql, IReadOnlyList<BoundParameter[]> parameterRows, CancellationToken cancellationToken)
    {
        if (options.ReadOnly)
        {
            throw new FlightSqlRequestException(
                "This Rhei.Data Flight SQL server is read-only: updates are refused (engine: SQLite, not executed).", StatusCode.PermissionDenied);
        }

        Interlocked.Increment(ref _running);
        try
        {
            await using var session = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = session.Connection.CreateCommand();
            command.CommandText = sql;
            if (parameterRows.Count <= 1)
            {
                if (parameterRows.Count == 1)
                {
                    ArrowParameterBinder.Bind(command, parameterRows[0]);
                }

                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            // "All of the bound parameter sets will be executed as a single atomic execution" (the specification).
            await using var transaction = await session.Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            command.Transaction = (RheiTransaction)transaction;
            long affected = 0;
            foreach (var row in parameterRows)
            {
                ArrowParameterBinder.Bind(command, row);
                affected += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return affected;
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    public async Task<RecordBatch> ReadCatalogAsync(Func<RheiConnection, Task<RecordBatch>> read, CancellationToken cancellationToken)
    {
        await using var session = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await read(session.Connection).ConfigureAwait(false);
    }

    private async Task<ServerSession> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var session = new ServerSession(connection, options.ReadOnly);
        try
        {
            await session.EnterAsync(cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The read-only server's first line: a statement the router sends to SQLite because it writes, changes the
    /// schema, sets a PRAGMA or controls a transaction is refused before it runs, and so is any text that names
    /// <c>query_only</c> (the PRAGMA that enforces the second line, which a hint would otherwise let through).
    /// </summary>
    private void RefuseWriteWhenReadOnly(RheiRouteExplanation route, string sql)
    {
        if (options.ReadOnly && (route.Rule == "SideEffects" || sql.Contains("query_only", StringComparison.OrdinalIgnoreCase)))
        {
            throw new FlightSqlRequestException(
                $"This Rhei.Data Flight SQL server is read-only: the statement was refused ({route.Reason}; engine: SQLite, not executed).",
                StatusCode.PermissionDenied);
        }
    }
}
