namespace Rhei.Data;

/// <summary>
/// One committed change delivered by <see cref="RheiDataSource.SubscribeAsync"/>. Values are SQLite's storage classes as the
/// reader gives them (<see cref="long"/>, <see cref="double"/>, <see cref="string"/>, <see cref="byte"/>[], <see cref="DBNull"/>).
/// </summary>
public sealed class RheiChange
{
    internal RheiChange(long position, string table, RheiChangeOperation operation, IReadOnlyDictionary<string, object> key, IReadOnlyDictionary<string, object>? values, DateTimeOffset commitTime)
    {
        Position = position;
        Table = table;
        Operation = operation;
        Key = key;
        Values = values;
        CommitTime = commitTime;
    }

    /// <summary>Where the change stands in commit order; grows with every change, never reused. Acknowledge it to move on.</summary>
    public long Position { get; }

    /// <summary>The table the change was made to.</summary>
    public string Table { get; }

    /// <summary>Insert, update or delete.</summary>
    public RheiChangeOperation Operation { get; }

    /// <summary>The primary key of the row: column name → value.</summary>
    public IReadOnlyDictionary<string, object> Key { get; }

    /// <summary>
    /// The row after the change, column name → value; null for a delete and for a row already deleted again when the
    /// change was read. With <c>Sync Mode=Destructive</c> this is the row as it stood when the change was read from
    /// SQLite (by the bridge, or by the feed without one), which can be a later version than this change wrote; with
    /// <c>Sync Mode=Temporal</c> it is exactly the version this change wrote.
    /// </summary>
    public IReadOnlyDictionary<string, object>? Values { get; }

    /// <summary>
    /// When the change was committed (temporal capture records it in the trigger); with destructive capture, which logs keys
    /// only, when it was first read from SQLite's log — at most one sync interval later.
    /// </summary>
    public DateTimeOffset CommitTime { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Position} {Operation} {Table} ({string.Join(", ", Key.Select(p => p.Key + "=" + p.Value))})";
}
