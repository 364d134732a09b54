using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Rhei.Data.FlightSql.Protocol;

namespace Rhei.Data.FlightSql.Internal;

/// <summary>
/// Flight SQL's envelope: every command, ticket and action body is a protobuf message packed in a
/// <c>google.protobuf.Any</c> whose type URL names the message in the <c>arrow.flight.protocol.sql</c> package.
/// </summary>
internal static class FlightSqlCommand
{
    private static readonly MessageParser[] s_parsers =
    [
        CommandStatementQuery.Parser, TicketStatementQuery.Parser, CommandPreparedStatementQuery.Parser,
        CommandStatementUpdate.Parser, CommandPreparedStatementUpdate.Parser, CommandGetSqlInfo.Parser,
        CommandGetCatalogs.Parser, CommandGetDbSchemas.Parser, CommandGetTables.Parser, CommandGetTableTypes.Parser,
        CommandGetPrimaryKeys.Parser, ActionCreatePreparedStatementRequest.Parser, ActionClosePreparedStatementRequest.Parser,
    ];

    private static readonly Dictionary<string, MessageParser> s_byTypeName = BuildIndex();

    public static ByteString Pack(IMessage message) => Any.Pack(message).ToByteString();

    /// <summary>The message inside a packed Any, or null when the bytes are no Flight SQL message this server knows.</summary>
    public static IMessage? Unpack(ByteString bytes)
    {
        Any any;
        try
        {
            any = Any.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }

        var typeName = Any.GetTypeName(any.TypeUrl);
        if (string.IsNullOrEmpty(typeName) || !s_byTypeName.TryGetValue(typeName, out var parser))
        {
            return null;
        }

        try
        {
            return parser.ParseFrom(any.Value);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    /// <summary>The message an action body carries, of the one type the action takes.</summary>
    public static T UnpackAction<T>(ByteString body, string action) where T : class, IMessage
        => Unpack(body) as T
           ?? throw new FlightSqlRequestException(
               $"The body of the Flight SQL action '{action}' is not a packed {typeof(T).Name}.");

    private static Dictionary<string, MessageParser> BuildIndex()
    {
        var index = new Dictionary<string, MessageParser>(StringComparer.Ordinal);
        foreach (var parser in s_parsers)
        {
            var descriptor = parser.ParseFrom(ByteString.Empty).Descriptor;
            index[descriptor.FullName] = parser;
        }

        return index;
    }
}
