namespace Rhei.Data.ChangeFeed;

/// <summary>Events read from the SQLite change log in one read transaction, with the log's bounds in the same snapshot.</summary>
internal sealed class CapturedEvents
{
    public CapturedEvents(long fromExclusive) => FromExclusive = fromExclusive;

    public long FromExclusive { get; }

    public List<CapturedEvent> Events { get; } = new();

    /// <summary>Highest sequence number ever handed out, in the same snapshot.</summary>
    public long HighWater { get; set; }

    /// <summary>How far the log has been pruned, in the same snapshot.</summary>
    public long PrunedThrough { get; set; }

    /// <summary>The last sequence read; <see cref="FromExclusive"/> when nothing was.</summary>
    public long ToInclusive => Events.Count == 0 ? FromExclusive : Events[^1].Sequence;
}
