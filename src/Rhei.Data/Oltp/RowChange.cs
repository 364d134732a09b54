namespace Rhei.Data.Oltp;

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

/// <summary>
/// One compacted row change: the key and, unless deleted, the row as SQLite holds it in the
/// batch's read snapshot.
/// </summary>
internal sealed record RowChange(RowChangeKind Kind, object?[] Key, object?[]? Values);
