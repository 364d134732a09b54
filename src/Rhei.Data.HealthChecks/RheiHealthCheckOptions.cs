namespace Rhei.Data.HealthChecks;

/// <summary>When the Rhei health check reports Degraded or Unhealthy instead of Healthy.</summary>
public sealed class RheiHealthCheckOptions
{
    /// <summary>
    /// Change events the mirror may be behind SQLite before the check reports Degraded (default 10,000). A busy writer
    /// is normally a few cycles (of 100 ms) ahead; a lag that keeps growing means sync cannot keep up.
    /// </summary>
    public long MaxLag { get; set; } = 10_000;

    /// <summary>
    /// How long the mirror may be behind (<see cref="RheiSyncStatus.Staleness"/>) before the check reports Degraded
    /// (default 30 seconds).
    /// </summary>
    public TimeSpan MaxStaleness { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether a quarantined table (its reads run on SQLite) makes the check Degraded (default true).</summary>
    public bool DegradedWhenQuarantined { get; set; } = true;

    /// <summary>
    /// Sync cycles failing in a row at which the check reports Unhealthy (default 3): the background loop keeps retrying
    /// with backoff, but nothing reaches the mirror.
    /// </summary>
    public int MaxConsecutiveSyncFailures { get; set; } = 3;

    /// <summary>
    /// Whether a data source with a <c>Sync Interval</c> whose background loop is not running is Unhealthy (default true):
    /// without the loop, only Strong reads and explicit syncs move the mirror.
    /// </summary>
    public bool RequireBackgroundSync { get; set; } = true;
}
