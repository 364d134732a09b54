using System.Collections.Concurrent;
using Google.Protobuf;

namespace Rhei.Data.FlightSql.Internal;

/// <summary>
/// The server's prepared statements: a handle (a random GUID, opaque to clients) maps to the SQL and the parameter
/// rows a DoPut bound last. The statement itself is planned when it runs (as every RheiCommand is, with its plan
/// cached by text), so a handle holds no engine resource and closing it only forgets it.
/// </summary>
internal sealed class PreparedStatementRegistry
{
    private readonly ConcurrentDictionary<Guid, PreparedStatement> _statements = new();

    public int Count => _statements.Count;

    public ByteString Create(string sql)
    {
        var handle = Guid.NewGuid();
        _statements[handle] = new PreparedStatement(sql);
        return ByteString.CopyFrom(handle.ToByteArray());
    }

    public PreparedStatement Get(ByteString handle)
        => TryParse(handle) is { } key && _statements.TryGetValue(key, out var statement)
            ? statement
            : throw new FlightSqlRequestException(
                "The prepared statement handle is unknown to this server (closed, or never created here).", Grpc.Core.StatusCode.NotFound);

    public bool Close(ByteString handle) => TryParse(handle) is { } key && _statements.TryRemove(key, out _);

    private static Guid? TryParse(ByteString handle) => handle.Length == 16 ? new Guid(handle.Span) : null;

    /// <summary>One prepared statement: its SQL and the parameter rows bound to it (replaced whole by each DoPut).</summary>
    internal sealed class PreparedStatement(string sql)
    {
        private volatile IReadOnlyList<BoundParameter[]> _parameters = [];

        public string Sql { get; } = sql;

        public IReadOnlyList<BoundParameter[]> Parameters
        {
            get => _parameters;
            set => _parameters = value;
        }
    }
}
