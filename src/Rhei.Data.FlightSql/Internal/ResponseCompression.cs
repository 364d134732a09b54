using Grpc.AspNetCore.Server;
using Grpc.Core;

namespace Rhei.Data.FlightSql.Internal;

/// <summary>
/// gzip message compression of a DoGet stream, chosen per call: gRPC's <c>grpc-internal-encoding-request</c>
/// response header asks Grpc.AspNetCore to compress this call's messages. Per call rather than service-wide
/// (<c>GrpcServiceOptions.ResponseCompressionAlgorithm</c>), so that it applies to the record-batch streams only,
/// never to the small unary answers, and only for a client whose <c>grpc-accept-encoding</c> lists gzip.
/// </summary>
internal static class ResponseCompression
{
    private const string Gzip = "gzip";
    private const string EncodingRequestHeader = "grpc-internal-encoding-request";

    public static void Add(Metadata headers, ServerCallContext context, bool compress)
    {
        if (compress && Accepts(context, Gzip))
        {
            headers.Add(EncodingRequestHeader, Gzip);
        }
    }

    private static bool Accepts(ServerCallContext context, string encoding)
    {
        var accepted = context.GetHttpContext().Request.Headers["grpc-accept-encoding"].ToString();
        foreach (var part in accepted.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (string.Equals(part, encoding, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
