using System.Security.Cryptography;
using System.Text;
using Grpc.Core;

namespace Rhei.Data.FlightSql.Internal;

/// <summary>
/// Checks the <c>authorization: Bearer &lt;token&gt;</c> header of every call when a token is configured. Both sides
/// are hashed with SHA-256 and the digests compared with <see cref="CryptographicOperations.FixedTimeEquals"/>, so
/// neither the content nor the length of the configured token shows in the time a refusal takes.
/// </summary>
internal sealed class BearerTokenAuthenticator
{
    private const string Scheme = "Bearer ";
    private readonly byte[]? _expectedDigest;

    public BearerTokenAuthenticator(string? token)
        => _expectedDigest = string.IsNullOrEmpty(token) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public void Authenticate(ServerCallContext context)
    {
        if (_expectedDigest is null)
        {
            return;
        }

        var header = context.RequestHeaders.GetValue("authorization");
        if (header is null || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated,
                "This Rhei.Data Flight SQL server requires a bearer token: send the header 'authorization: Bearer <token>'."));
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()));
        if (!CryptographicOperations.FixedTimeEquals(presented, _expectedDigest))
        {
            // The token itself is never echoed.
            throw new RpcException(new Status(StatusCode.Unauthenticated, "The bearer token was not accepted by this Rhei.Data Flight SQL server."));
        }
    }
}
