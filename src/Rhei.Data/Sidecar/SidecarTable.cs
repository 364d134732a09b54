namespace Rhei.Data.Sidecar;

/// <summary>
/// A followed table: columns in source order, the key, and the timestamp columns the timestamp capture polls by
/// (null for logical replication). Values the source hands over are in <see cref="Columns"/> order.
/// </summary>
internal sealed record SidecarTable(
    string Name,
    IReadOnlyList<SidecarColumn> Columns,
    IReadOnlyList<string> PrimaryKey,
    string? UpdatedAtColumn,
    string? CreatedAtColumn);
