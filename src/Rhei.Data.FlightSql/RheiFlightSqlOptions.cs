namespace Rhei.Data.FlightSql;

/// <summary>
/// How a <see cref="RheiFlightSqlServer"/> serves its data source. TLS is not an option here: it is the host's
/// Kestrel configuration (an HTTPS endpoint with a certificate), as for any gRPC service in ASP.NET Core.
/// </summary>
public sealed class RheiFlightSqlOptions
{
    /// <summary>
    /// When true, <c>CommandStatementUpdate</c> and prepared updates are refused with <c>PermissionDenied</c>, a query
    /// that writes, changes the schema or controls a transaction is refused the same way, and every connection the
    /// server opens runs with SQLite's <c>PRAGMA query_only</c> so that nothing the router lets through can write.
    /// </summary>
    public bool ReadOnly { get; set; }

    /// <summary>
    /// When set, every call must carry the header <c>authorization: Bearer &lt;token&gt;</c> with this token; a call
    /// without it, or with another token, fails with <c>Unauthenticated</c>. Compared in constant time.
    /// </summary>
    public string? BearerToken { get; set; }

    /// <summary>
    /// When true, responses are compressed by gRPC (<c>gzip</c> message compression) for clients that accept it.
    /// Arrow's own IPC buffer compression (zstd, lz4) cannot be used: Apache.Arrow.Flight 23.0.0 writes its record
    /// batches with IPC options it does not expose.
    /// </summary>
    public bool CompressResponses { get; set; }

    /// <summary>The name <c>CommandGetSqlInfo</c> reports as <c>FLIGHT_SQL_SERVER_NAME</c>.</summary>
    public string ServerName { get; set; } = "Rhei.Data";
}
