namespace Rhei.Data.Sidecar;

/// <summary>
/// One change read from a sidecar source. <see cref="Values"/> is the whole row after the change in the table's
/// column order (null for a delete); <see cref="Key"/> the primary key values in key order. Values are CLR values
/// of the mirror column's DuckDB type: <c>long</c>/<c>int</c>/<c>short</c>, <c>double</c>/<c>float</c>,
/// <c>decimal</c> (or <c>System.Numerics.BigInteger</c> with the column's scale for wider numerics), <c>bool</c>,
/// <c>string</c> (also JSON and enum labels), <c>byte[]</c>, <c>DateOnly</c>, <c>DateTime</c> (timestamp),
/// <c>DateTimeOffset</c> (timestamptz), <c>TimeOnly</c>, <c>Guid</c>, <c>Array</c> of those (lists); null is SQL NULL.
/// <see cref="SidecarUnchangedValue.Instance"/> marks a column an update left unchanged and the source did not send
/// (PostgreSQL's unchanged TOASTed values): the mirror keeps what it has.
/// <see cref="CommitTime"/> is the source's time of the change (the updated-at value, or the commit timestamp).
/// </summary>
internal sealed record SidecarChange(SidecarChangeKind Kind, string Table, object?[] Key, object?[]? Values, DateTimeOffset? CommitTime);
