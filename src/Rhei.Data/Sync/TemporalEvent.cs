namespace Rhei.Data.Sync;

/// <summary>
/// One captured version (temporal mode): operation, time, key and, unless deleted, the full image — boxed in
/// <see cref="Values"/> (the bridge), or as row <see cref="Image"/> of the table's data chunks (the trigger log).
/// A key that is one INTEGER read from the trigger log is <see cref="IntegerKey"/>, with <see cref="Key"/> null.
/// </summary>
internal readonly record struct TemporalEvent(char Operation, long Timestamp, object?[]? Key, object?[]? Values)
{
    public long IntegerKey { get; init; }

    /// <summary>The image's row in <see cref="TableChanges.Images"/>, or -1 (a delete, or an image held in <see cref="Values"/>).</summary>
    public int Image { get; init; } = -1;

    /// <summary>The key's values (a new array for an integer key).</summary>
    public object?[] KeyValues => Key ?? [IntegerKey];
}
