namespace Rhei.Data;

/// <summary>How a change-feed subscription filters, acknowledges and holds the log.</summary>
public sealed class RheiSubscriptionOptions
{
    /// <summary>Only changes to these tables (case-insensitive); null for every replicated table.</summary>
    public IReadOnlyCollection<string>? Tables { get; init; }

    /// <summary>Only these operations; null for all three.</summary>
    public IReadOnlyCollection<RheiChangeOperation>? Operations { get; init; }

    /// <summary>
    /// Acknowledge each batch of changes once the consumer has taken all of it and asks for more, so a restart resumes after
    /// the last batch handed over in full. False (the default): call <see cref="RheiDataSource.AcknowledgeAsync"/>.
    /// </summary>
    public bool AutoAcknowledge { get; init; }

    /// <summary>
    /// How long the log keeps what this subscription has not acknowledged: a subscription silent for longer stops holding it
    /// back, and once its changes are pruned, reading it fails naming the position from which data is gone. Null: no age limit.
    /// </summary>
    public TimeSpan? Retention { get; init; } = TimeSpan.FromDays(7);

    /// <summary>The most unacknowledged changes the log keeps for this subscription; null (the default): no size limit.</summary>
    public long? MaxRetainedChanges { get; init; }
}
