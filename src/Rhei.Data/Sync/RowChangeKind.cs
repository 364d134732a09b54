namespace Rhei.Data.Sync;

/// <summary>What happened to a row over one batch, after compaction (destructive mode).</summary>
internal enum RowChangeKind
{
    /// <summary>The row is new to the mirror.</summary>
    Insert,

    /// <summary>The row existed and has new values.</summary>
    Update,

    /// <summary>The row is gone.</summary>
    Delete,
}
