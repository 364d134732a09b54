namespace Rhei.Data.ChangeFeed;

/// <summary>
/// One change event as the durable log and the change feed keep it: the trigger log's sequence number (the position,
/// which never goes back), when it was captured, the table, the operation, the key and the row image after the change
/// (null for a delete, and for a row that was gone again when the event was read). <see cref="Columns"/> names the
/// image's values; null when the table was not registered when the event was read. <see cref="Values"/> is settable so the
/// SQLite reader can attach the image it reads after the event without copying the record.
/// </summary>
internal sealed record CapturedEvent(
    long Sequence,
    long CommitTimeMs,
    string Table,
    char Operation,
    object?[] Key,
    IReadOnlyList<string>? Columns,
    object?[]? Values)
{
    public object?[]? Values { get; set; } = Values;
}
