using Apache.Arrow;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Client;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Rhei.Data.FlightSql.Protocol;
using ArrowSchema = Apache.Arrow.Schema;

namespace Rhei.Data.FlightSql.Tests;

/// <summary>
/// Apache.Arrow.Flight's own <see cref="FlightClient"/> over Grpc.Net.Client, with the Flight SQL steps a client such
/// as ADBC takes: a command packed in an Any, GetFlightInfo, DoGet of each endpoint's ticket; DoPut for updates and
/// parameters; DoAction for prepared statements.
/// </summary>
internal sealed class FlightSqlTestClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly Metadata _headers = [];
    private readonly EncodingRecorder _encodings = new();

    public FlightSqlTestClient(Uri address, string? bearerToken)
    {
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = _encodings });
        Client = new FlightClient(_channel);
        if (bearerToken is not null)
        {
            _headers.Add("authorization", "Bearer " + bearerToken);
        }
    }

    public FlightClient Client { get; }

    /// <summary>The <c>grpc-encoding</c> of the last response (Grpc.Net.Client keeps it out of the call's headers).</summary>
    public string? LastResponseEncoding => _encodings.Last;

    public static FlightDescriptor Descriptor(IMessage command) => FlightDescriptor.CreateCommandDescriptor(Any.Pack(command).ToByteArray());

    public async Task<FlightInfo> GetInfoAsync(IMessage command, CancellationToken cancellationToken = default)
        => await Client.GetInfo(Descriptor(command), _headers, null, cancellationToken).ResponseAsync;

    /// <summary>GetFlightInfo, then DoGet of its one endpoint: the stream's schema, its batches and its response headers.</summary>
    public async Task<ReadResult> ReadAsync(IMessage command, CancellationToken cancellationToken = default)
    {
        var info = await GetInfoAsync(command, cancellationToken);
        var endpoint = Assert.Single(info.Endpoints);
        using var call = Client.GetStream(endpoint.Ticket, _headers, null, cancellationToken);
        var headers = await call.ResponseHeadersAsync;
        var batches = new List<RecordBatch>();
        while (await call.ResponseStream.MoveNext(cancellationToken))
        {
            batches.Add(call.ResponseStream.Current);
        }

        return new ReadResult(info, await call.ResponseStream.Schema, batches, headers);
    }

    public Task<ReadResult> QueryAsync(string sql, CancellationToken cancellationToken = default)
        => ReadAsync(new CommandStatementQuery { Query = sql }, cancellationToken);

    /// <summary>DoPut of a CommandStatementUpdate (no batches): the DoPutUpdateResult's record count.</summary>
    public async Task<long> UpdateAsync(string sql)
        => await PutAsync(new CommandStatementUpdate { Query = sql }, null);

    public async Task<ByteString> PrepareAsync(string sql)
    {
        var request = new ActionCreatePreparedStatementRequest { Query = sql };
        using var call = Client.DoAction(new FlightAction("CreatePreparedStatement", Any.Pack(request).ToByteString()), _headers);
        Assert.True(await call.ResponseStream.MoveNext());
        var result = Any.Parser.ParseFrom(call.ResponseStream.Current.Body).Unpack<ActionCreatePreparedStatementResult>();
        return result.PreparedStatementHandle;
    }

    public async Task ClosePreparedAsync(ByteString handle)
    {
        var request = new ActionClosePreparedStatementRequest { PreparedStatementHandle = handle };
        using var call = Client.DoAction(new FlightAction("ClosePreparedStatement", Any.Pack(request).ToByteString()), _headers);
        while (await call.ResponseStream.MoveNext())
        {
        }
    }

    /// <summary>Binds parameters to a prepared statement: DoPut of CommandPreparedStatementQuery with one batch.</summary>
    public Task BindAsync(ByteString handle, RecordBatch parameters)
        => PutAsync(new CommandPreparedStatementQuery { PreparedStatementHandle = handle }, parameters);

    public Task<ReadResult> QueryPreparedAsync(ByteString handle)
        => ReadAsync(new CommandPreparedStatementQuery { PreparedStatementHandle = handle });

    public Task<long> UpdatePreparedAsync(ByteString handle, RecordBatch parameters)
        => PutAsync(new CommandPreparedStatementUpdate { PreparedStatementHandle = handle }, parameters);

    public void Dispose() => _channel.Dispose();

    private async Task<long> PutAsync(IMessage command, RecordBatch? batch)
    {
        var schema = batch?.Schema ?? new ArrowSchema([], null);
        using var call = await Client.StartPut(Descriptor(command), schema, _headers);
        if (batch is not null)
        {
            await call.RequestStream.WriteAsync(batch);
        }

        await call.RequestStream.CompleteAsync();
        long count = -1;
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            var metadata = call.ResponseStream.Current.ApplicationMetadata;
            if (!metadata.IsEmpty)
            {
                count = DoPutUpdateResult.Parser.ParseFrom(metadata).RecordCount;
            }
        }

        return count;
    }

    /// <summary>Records each HTTP response's <c>grpc-encoding</c> header, read below the gRPC client.</summary>
    private sealed class EncodingRecorder() : DelegatingHandler(new SocketsHttpHandler())
    {
        public string? Last { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            Last = response.Headers.TryGetValues("grpc-encoding", out var values) ? string.Join(",", values) : null;
            return response;
        }
    }

    /// <summary>What one Flight SQL read returned.</summary>
    internal sealed record ReadResult(FlightInfo Info, ArrowSchema Schema, IReadOnlyList<RecordBatch> Batches, Metadata Headers)
    {
        public string? Route => Headers.GetValue("rhei-route");

        public int RowCount => Batches.Sum(b => b.Length);

        /// <summary>Every value of a column, across the batches, as CLR objects (null for null).</summary>
        public List<object?> Column(string name)
        {
            var values = new List<object?>();
            foreach (var batch in Batches)
            {
                var array = batch.Column(name);
                for (var i = 0; i < batch.Length; i++)
                {
                    values.Add(array.IsNull(i) ? null : array switch
                    {
                        Int64Array a => a.GetValue(i),
                        Int32Array a => a.GetValue(i),
                        UInt32Array a => a.GetValue(i),
                        DoubleArray a => a.GetValue(i),
                        StringArray a => a.GetString(i),
                        BinaryArray a => a.GetBytes(i).ToArray(),
                        BooleanArray a => a.GetValue(i),
                        _ => throw new NotSupportedException(array.GetType().Name),
                    });
                }
            }

            return values;
        }
    }
}
