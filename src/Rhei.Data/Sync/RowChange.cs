namespace Rhei.Data.Sync;

/// <summary>
/// One compacted row change: the key and, unless deleted, the row as SQLite holds it in the
/// batch's read snapshot.
/// </summary>
internal sealed record RowChange(RowChangeKind Kind, object?[] Key, object?[]? Values);
