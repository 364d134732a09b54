namespace Rhei.Data.Sync;

/// <summary>One captured version (temporal mode): operation, time, key and, unless deleted, the full image.</summary>
internal sealed record TemporalEvent(char Operation, long Timestamp, object?[] Key, object?[]? Values);
