using Apache.Arrow;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Server;
using Google.Protobuf;
using Grpc.Core;
using Rhei.Data.FlightSql.Internal;
using Rhei.Data.FlightSql.Protocol;
using ArrowSchema = Apache.Arrow.Schema;

namespace Rhei.Data.FlightSql;

/// <summary>
/// An Arrow Flight SQL server over a <see cref="RheiDataSource"/>: SQL travels in the ticket and is planned and routed
/// at <c>DoGet</c> like any <see cref="RheiCommand"/> (results streamed as Arrow, DuckDB's batches as DuckDB made them);
/// prepared statements take their parameters through <c>DoPut</c>; the catalog commands read SQLite; updates go to
/// SQLite. Registered by <c>AddRheiFlightSql</c> and mapped by <c>MapRheiFlightSql</c>; one instance serves every call.
/// </summary>
/// <remarks>
/// Each <c>DoGet</c> of a query answers the response headers <c>rhei-route</c> (<c>sqlite</c> or <c>duckdb</c>: the
/// engine the planner chose, as <see cref="RheiCommand.ExplainRoute"/> says) and <c>rhei-route-rule</c>. Errors are gRPC
/// statuses whose message names the engine; the connection string never appears in one.
/// </remarks>
public sealed class RheiFlightSqlServer : FlightServer
{
    private const string CreatePreparedStatement = "CreatePreparedStatement";
    private const string ClosePreparedStatement = "ClosePreparedStatement";

    private readonly RheiFlightSqlOptions _options;
    private readonly BearerTokenAuthenticator _authenticator;
    private readonly StatementRunner _runner;
    private readonly PreparedStatementRegistry _preparedStatements = new();

    /// <summary>Creates a server for the data source; the options are read once, here.</summary>
    public RheiFlightSqlServer(RheiDataSource dataSource, RheiFlightSqlOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var source = options ?? new RheiFlightSqlOptions();
        _options = new RheiFlightSqlOptions
        {
            ReadOnly = source.ReadOnly,
            BearerToken = source.BearerToken,
            CompressResponses = source.CompressResponses,
            ServerName = source.ServerName,
        };
        _authenticator = new BearerTokenAuthenticator(_options.BearerToken);
        _runner = new StatementRunner(dataSource, _options);
    }

    /// <summary>Statements executing now; for tests that a cancelled stream stopped its query.</summary>
    internal int RunningStatements => _runner.Running;

    /// <summary>Prepared statements not yet closed.</summary>
    internal int OpenPreparedStatements => _preparedStatements.Count;

    /// <inheritdoc />
    public override Task<FlightInfo> GetFlightInfo(FlightDescriptor request, ServerCallContext context)
        => GuardAsync(context, () =>
        {
            var command = UnpackCommand(request.Command);
            var (schema, ticket) = command switch
            {
                // The SQL itself is the ticket: nothing is planned or held until DoGet.
                CommandStatementQuery query => (null, FlightSqlCommand.Pack(new TicketStatementQuery { StatementHandle = NoTransaction(query).ToByteString() })),
                CommandPreparedStatementQuery prepared => (null, Known(prepared)),
                CommandGetSqlInfo => (FlightSqlSchemas.SqlInfo, FlightSqlCommand.Pack(command)),
                CommandGetCatalogs => (FlightSqlSchemas.Catalogs, FlightSqlCommand.Pack(command)),
                CommandGetDbSchemas => (FlightSqlSchemas.DbSchemas, FlightSqlCommand.Pack(command)),
                CommandGetTables tables => (tables.IncludeSchema ? FlightSqlSchemas.TablesWithSchema : FlightSqlSchemas.Tables, FlightSqlCommand.Pack(command)),
                CommandGetTableTypes => (FlightSqlSchemas.TableTypes, FlightSqlCommand.Pack(command)),
                CommandGetPrimaryKeys => (FlightSqlSchemas.PrimaryKeys, FlightSqlCommand.Pack(command)),
                _ => throw Unsupported(command, nameof(GetFlightInfo)),
            };
            var endpoint = new FlightEndpoint(new FlightTicket(ticket), []);
            // No schema for a query: it is planned at DoGet (the Flight library sends null as an empty schema).
            return Task.FromResult(new FlightInfo(schema!, request, [endpoint], -1, -1));
        });

    /// <inheritdoc />
    public override Task<ArrowSchema> GetSchema(FlightDescriptor request, ServerCallContext context)
        => GuardAsync(context, async () =>
        {
            var command = UnpackCommand(request.Command);
            return command switch
            {
                CommandStatementQuery query => await _runner.QuerySchemaAsync(NoTransaction(query).Query, null, context.CancellationToken).ConfigureAwait(false),
                CommandPreparedStatementQuery prepared => await PreparedSchemaAsync(prepared, context.CancellationToken).ConfigureAwait(false),
                CommandGetSqlInfo => FlightSqlSchemas.SqlInfo,
                CommandGetCatalogs => FlightSqlSchemas.Catalogs,
                CommandGetDbSchemas => FlightSqlSchemas.DbSchemas,
                CommandGetTables tables => tables.IncludeSchema ? FlightSqlSchemas.TablesWithSchema : FlightSqlSchemas.Tables,
                CommandGetTableTypes => FlightSqlSchemas.TableTypes,
                CommandGetPrimaryKeys => FlightSqlSchemas.PrimaryKeys,
                _ => throw Unsupported(command, nameof(GetSchema)),
            };
        });

    /// <inheritdoc />
    public override Task DoGet(FlightTicket ticket, FlightServerRecordBatchStreamWriter responseStream, ServerCallContext context)
        => GuardAsync(context, async () =>
        {
            var token = context.CancellationToken;
            var command = FlightSqlCommand.Unpack(ticket.Ticket)
                ?? throw new FlightSqlRequestException("The ticket is not one this Rhei.Data Flight SQL server issued (expected a packed Flight SQL ticket or command).");
            switch (command)
            {
                case TicketStatementQuery statement:
                    var query = ParseStatementTicket(statement);
                    await _runner.StreamQueryAsync(query.Query, null, responseStream, context).ConfigureAwait(false);
                    break;
                case CommandPreparedStatementQuery prepared:
                    var preparedStatement = _preparedStatements.Get(prepared.PreparedStatementHandle);
                    await _runner.StreamQueryAsync(preparedStatement.Sql, SingleRow(preparedStatement.Parameters), responseStream, context).ConfigureAwait(false);
                    break;
                case CommandGetSqlInfo info:
                    await WriteAsync(responseStream, SqlInfoBatch.Build(_options, info.Info), context).ConfigureAwait(false);
                    break;
                case CommandGetCatalogs:
                    await WriteAsync(responseStream, CatalogBatches.Catalogs(), context).ConfigureAwait(false);
                    break;
                case CommandGetDbSchemas:
                    await WriteAsync(responseStream, CatalogBatches.DbSchemas(), context).ConfigureAwait(false);
                    break;
                case CommandGetTables tables:
                    await WriteAsync(responseStream, await _runner.ReadCatalogAsync(c => CatalogBatches.TablesAsync(c, tables, token), token).ConfigureAwait(false), context).ConfigureAwait(false);
                    break;
                case CommandGetTableTypes:
                    await WriteAsync(responseStream, CatalogBatches.TableTypes(), context).ConfigureAwait(false);
                    break;
                case CommandGetPrimaryKeys keys:
                    await WriteAsync(responseStream, await _runner.ReadCatalogAsync(c => Task.FromResult(CatalogBatches.PrimaryKeys(c, keys)), token).ConfigureAwait(false), context).ConfigureAwait(false);
                    break;
                default:
                    throw Unsupported(command, nameof(DoGet));
            }
        });

    /// <inheritdoc />
    public override Task DoPut(FlightServerRecordBatchStreamReader requestStream, IAsyncStreamWriter<FlightPutResult> responseStream, ServerCallContext context)
        => GuardAsync(context, async () =>
        {
            var token = context.CancellationToken;
            var descriptor = await requestStream.FlightDescriptor.ConfigureAwait(false);
            var command = UnpackCommand(descriptor.Command);
            switch (command)
            {
                case CommandStatementUpdate update:
                    if (update.HasTransactionId)
                    {
                        throw NoTransactions();
                    }

                    var affected = await _runner.ExecuteUpdateAsync(update.Query, [], token).ConfigureAwait(false);
                    await responseStream.WriteAsync(UpdateResult(affected)).ConfigureAwait(false);
                    break;
                case CommandPreparedStatementQuery prepared:
                    var statement = _preparedStatements.Get(prepared.PreparedStatementHandle);
                    statement.Parameters = await ReadParameterRowsAsync(requestStream, token).ConfigureAwait(false);
                    await responseStream.WriteAsync(FlightPutResult.Empty).ConfigureAwait(false);
                    break;
                case CommandPreparedStatementUpdate preparedUpdate:
                    var updateStatement = _preparedStatements.Get(preparedUpdate.PreparedStatementHandle);
                    var rows = await ReadParameterRowsAsync(requestStream, token).ConfigureAwait(false);
                    var count = await _runner.ExecuteUpdateAsync(updateStatement.Sql, rows.Count > 0 ? rows : updateStatement.Parameters, token).ConfigureAwait(false);
                    await responseStream.WriteAsync(UpdateResult(count)).ConfigureAwait(false);
                    break;
                default:
                    throw Unsupported(command, nameof(DoPut));
            }
        });

    /// <inheritdoc />
    public override Task DoAction(FlightAction request, IAsyncStreamWriter<FlightResult> responseStream, ServerCallContext context)
        => GuardAsync(context, async () =>
        {
            switch (request.Type)
            {
                case CreatePreparedStatement:
                    var create = FlightSqlCommand.UnpackAction<ActionCreatePreparedStatementRequest>(request.Body, CreatePreparedStatement);
                    if (create.HasTransactionId)
                    {
                        throw NoTransactions();
                    }

                    // Schemas are left empty: a statement is planned when it runs, and its parameters are whatever DoPut binds.
                    var result = new ActionCreatePreparedStatementResult { PreparedStatementHandle = _preparedStatements.Create(create.Query) };
                    await responseStream.WriteAsync(new FlightResult(FlightSqlCommand.Pack(result))).ConfigureAwait(false);
                    break;
                case ClosePreparedStatement:
                    var close = FlightSqlCommand.UnpackAction<ActionClosePreparedStatementRequest>(request.Body, ClosePreparedStatement);
                    _preparedStatements.Close(close.PreparedStatementHandle);
                    break;
                default:
                    throw new FlightSqlRequestException(
                        $"The action '{request.Type}' is not offered by this Rhei.Data Flight SQL server (it offers {CreatePreparedStatement} and {ClosePreparedStatement}).",
                        StatusCode.Unimplemented);
            }
        });

    /// <inheritdoc />
    public override Task ListActions(IAsyncStreamWriter<FlightActionType> responseStream, ServerCallContext context)
        => GuardAsync(context, async () =>
        {
            await responseStream.WriteAsync(new FlightActionType(CreatePreparedStatement, "Creates a prepared statement; its parameters are bound by DoPut.")).ConfigureAwait(false);
            await responseStream.WriteAsync(new FlightActionType(ClosePreparedStatement, "Closes a prepared statement.")).ConfigureAwait(false);
        });

    /// <inheritdoc />
    public override Task Handshake(IAsyncStreamReader<FlightHandshakeRequest> requestStream, IAsyncStreamWriter<FlightHandshakeResponse> responseStream, ServerCallContext context)
        => throw new RpcException(new Status(StatusCode.Unimplemented,
            "This Rhei.Data Flight SQL server has no handshake: send 'authorization: Bearer <token>' with every call when a token is configured."));

    /// <inheritdoc />
    public override Task ListFlights(FlightCriteria request, IAsyncStreamWriter<FlightInfo> responseStream, ServerCallContext context)
        => throw new RpcException(new Status(StatusCode.Unimplemented, "ListFlights is not offered by this Rhei.Data Flight SQL server: send a Flight SQL command to GetFlightInfo."));

    /// <inheritdoc />
    public override Task DoExchange(FlightServerRecordBatchStreamReader requestStream, FlightServerRecordBatchStreamWriter responseStream, ServerCallContext context)
        => throw new RpcException(new Status(StatusCode.Unimplemented, "DoExchange is not offered by this Rhei.Data Flight SQL server."));

    private async Task<T> GuardAsync<T>(ServerCallContext context, Func<Task<T>> call)
    {
        _authenticator.Authenticate(context);
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw FlightSqlStatus.ToRpcException(ex, context.CancellationToken);
        }
    }

    private Task GuardAsync(ServerCallContext context, Func<Task> call)
        => GuardAsync<bool>(context, async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        });

    private static IMessage UnpackCommand(ByteString command)
        => FlightSqlCommand.Unpack(command)
           ?? throw new FlightSqlRequestException("The descriptor's command is not a Flight SQL command this Rhei.Data server knows (a packed arrow.flight.protocol.sql message).");

    private ByteString Known(CommandPreparedStatementQuery prepared)
    {
        _preparedStatements.Get(prepared.PreparedStatementHandle);
        return FlightSqlCommand.Pack(prepared);
    }

    private async Task<ArrowSchema> PreparedSchemaAsync(CommandPreparedStatementQuery prepared, CancellationToken cancellationToken)
    {
        var statement = _preparedStatements.Get(prepared.PreparedStatementHandle);
        return await _runner.QuerySchemaAsync(statement.Sql, SingleRow(statement.Parameters), cancellationToken).ConfigureAwait(false);
    }

    private static CommandStatementQuery ParseStatementTicket(TicketStatementQuery ticket)
    {
        try
        {
            return NoTransaction(CommandStatementQuery.Parser.ParseFrom(ticket.StatementHandle));
        }
        catch (InvalidProtocolBufferException)
        {
            throw new FlightSqlRequestException("The statement ticket is not one this Rhei.Data Flight SQL server issued.");
        }
    }

    private static CommandStatementQuery NoTransaction(CommandStatementQuery query)
        => query.HasTransactionId ? throw NoTransactions() : query;

    private static BoundParameter[]? SingleRow(IReadOnlyList<BoundParameter[]> rows) => rows.Count switch
    {
        0 => null,
        1 => rows[0],
        _ => throw new FlightSqlRequestException(
            $"{rows.Count} parameter rows are bound to this prepared query; a query takes one row (bind several rows to a prepared update)."),
    };

    private static async Task<IReadOnlyList<BoundParameter[]>> ReadParameterRowsAsync(FlightServerRecordBatchStreamReader reader, CancellationToken cancellationToken)
    {
        var rows = new List<BoundParameter[]>();
        while (await reader.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            using var batch = reader.Current;
            rows.AddRange(ArrowParameterBinder.ReadRows(batch));
        }

        return rows;
    }

    private async Task WriteAsync(FlightServerRecordBatchStreamWriter writer, RecordBatch batch, ServerCallContext context)
    {
        using (batch)
        {
            var headers = new Metadata();
            ResponseCompression.Add(headers, context, _options.CompressResponses);
            if (headers.Count > 0)
            {
                await context.WriteResponseHeadersAsync(headers).ConfigureAwait(false);
            }

            await writer.SetupStream(batch.Schema).ConfigureAwait(false);
            await writer.WriteAsync(batch).ConfigureAwait(false);
        }
    }

    private static FlightPutResult UpdateResult(long affected)
        => new(new DoPutUpdateResult { RecordCount = affected }.ToByteString());

    private static FlightSqlRequestException Unsupported(IMessage command, string call)
        => new($"{command.Descriptor.Name} is not supported by {call} on this Rhei.Data Flight SQL server.", StatusCode.Unimplemented);

    private static FlightSqlRequestException NoTransactions()
        => new("Flight SQL transactions are not offered by this Rhei.Data server: send statements without a transaction id (each one commits on its own).", StatusCode.Unimplemented);
}
