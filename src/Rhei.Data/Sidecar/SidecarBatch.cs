namespace Rhei.Data.Sidecar;

/// <summary>
/// Changes read from a sidecar source in commit order, and the position after the last of them. The pipeline
/// applies the changes and stores <see cref="Position"/> in one DuckDB transaction; an empty batch may still move
/// the position (PostgreSQL keepalives, a transaction that touched no followed table).
/// <see cref="SchemaChanges"/> are tables whose shape changed at the source before these changes (new columns):
/// the mirror evolves them first. <see cref="Staged"/> holds the rows a timestamp poll read straight into data chunks
/// (one entry per table, every key at most once, none of them also in <see cref="Changes"/>); disposing the batch
/// frees their chunks.
/// </summary>
internal sealed record SidecarBatch(IReadOnlyList<SidecarChange> Changes, SidecarPosition Position, IReadOnlyList<SidecarTable> SchemaChanges) : IDisposable
{
    public IReadOnlyList<SidecarStagedRows> Staged { get; init; } = [];

    /// <summary>Changes in the batch, row changes and staged rows together.</summary>
    public int ChangeCount
    {
        get
        {
            var count = Changes.Count;
            foreach (var staged in Staged)
            {
                count += staged.Count;
            }

            return count;
        }
    }

    public static SidecarBatch Empty(SidecarPosition position) => new([], position, []);

    public void Dispose()
    {
        foreach (var staged in Staged)
        {
            staged.Dispose();
        }
    }
}
