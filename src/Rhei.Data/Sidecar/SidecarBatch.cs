namespace Rhei.Data.Sidecar;

/// <summary>
/// Changes read from a sidecar source in commit order, and the position after the last of them. The pipeline
/// applies the changes and stores <see cref="Position"/> in one DuckDB transaction; an empty batch may still move
/// the position (PostgreSQL keepalives, a transaction that touched no followed table).
/// <see cref="SchemaChanges"/> are tables whose shape changed at the source before these changes (new columns):
/// the mirror evolves them first.
/// </summary>
internal sealed record SidecarBatch(IReadOnlyList<SidecarChange> Changes, SidecarPosition Position, IReadOnlyList<SidecarTable> SchemaChanges)
{
    public static SidecarBatch Empty(SidecarPosition position) => new([], position, []);
}
