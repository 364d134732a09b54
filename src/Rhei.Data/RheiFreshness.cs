namespace Rhei.Data;

/// <summary>What an analytical read is guaranteed to see.</summary>
public enum RheiFreshness
{
    /// <summary>Every write committed before the read began (the mirror is brought up to date first).</summary>
    Strong,

    /// <summary>Whatever the mirror holds, bounded by <c>Max Staleness</c> when it is set.</summary>
    Eventual,
}
