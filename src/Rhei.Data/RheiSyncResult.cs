namespace Rhei.Data;

/// <summary>
/// What one call to sync moved from the SQLite change log into the DuckDB mirror.
/// </summary>
/// <remarks>
/// Counting follows rhei: <see cref="EventsProcessed"/> counts change events read from the log;
/// in destructive mode the row counts are per row after compaction (an insert followed by
/// updates counts as one insert, an insert followed by a delete counts as nothing), in temporal
/// mode every event is one version and counts once.
/// </remarks>
public sealed class RheiSyncResult
{
    internal RheiSyncResult(long eventsProcessed, long rowsInserted, long rowsUpdated, long rowsDeleted, long? eventsPruned, TimeSpan duration)
    {
        EventsProcessed = eventsProcessed;
        RowsInserted = rowsInserted;
        RowsUpdated = rowsUpdated;
        RowsDeleted = rowsDeleted;
        EventsPruned = eventsPruned;
        Duration = duration;
    }

    /// <summary>Change events read from <c>_rhei_cdc_log</c>.</summary>
    public long EventsProcessed { get; }

    /// <summary>Rows that did not exist in the mirror before and do now.</summary>
    public long RowsInserted { get; }

    /// <summary>Rows of the mirror that were replaced by a newer version.</summary>
    public long RowsUpdated { get; }

    /// <summary>Rows removed from the mirror (closed, in temporal mode).</summary>
    public long RowsDeleted { get; }

    /// <summary>Events deleted from the SQLite change log after the apply, or null when pruning is off.</summary>
    public long? EventsPruned { get; }

    /// <summary>Wall-clock time the sync took.</summary>
    public TimeSpan Duration { get; }

    /// <inheritdoc />
    public override string ToString()
        => $"events={EventsProcessed} inserted={RowsInserted} updated={RowsUpdated} deleted={RowsDeleted} pruned={EventsPruned?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "off"} in {Duration.TotalMilliseconds:0.###} ms";
}
