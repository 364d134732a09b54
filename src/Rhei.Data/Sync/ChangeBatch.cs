namespace Rhei.Data.Sync;

/// <summary>Events read from the change log in one snapshot: the range, and the changes per table.</summary>
internal sealed class ChangeBatch
{
    public ChangeBatch(long fromExclusive) => FromExclusive = fromExclusive;

    public long FromExclusive { get; }

    /// <summary>The last sequence number read; equal to <see cref="FromExclusive"/> when nothing was.</summary>
    public long ToInclusive { get; set; }

    public int EventCount { get; set; }

    /// <summary>The first sequence number read, 0 when nothing was.</summary>
    public long FirstSequence { get; set; }

    /// <summary>The log's high-water mark (highest sequence ever handed out) in the same snapshot.</summary>
    public long HighWater { get; set; }

    /// <summary>How far any engine has pruned the log, in the same snapshot.</summary>
    public long PrunedThrough { get; set; }

    public Dictionary<string, TableChanges> Tables { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Tables whose events were seen but which this engine does not know (registered elsewhere, or dropped).</summary>
    public HashSet<string> UnknownTables { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The registry version stored in the file at the snapshot.</summary>
    public long RegistryVersion { get; set; }
}
