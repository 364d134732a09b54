using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Rhei.Data.HealthChecks;

/// <summary>
/// Reports how a Rhei data source's DuckDB mirror is doing, from <see cref="RheiConnection.GetSyncStatusAsync"/>:
/// <list type="bullet">
/// <item><b>Unhealthy</b>: the data source cannot be opened, the mirror cannot take changes
/// (<see cref="RheiSyncStatus.MirrorUnavailableReason"/>), sync cycles keep failing
/// (<see cref="RheiHealthCheckOptions.MaxConsecutiveSyncFailures"/>), or the background loop a <c>Sync Interval</c>
/// asks for is not running.</item>
/// <item><b>Degraded</b>: the lag or the staleness is over its threshold, or a table is quarantined.</item>
/// <item><b>Healthy</b> otherwise, and for a data source without a mirror (<c>Olap=None</c>).</item>
/// </list>
/// The result's data holds the lag, the staleness, the failures in a row and each table's state. The data source
/// appears by its SQLite file name only: never the connection string, which may hold a password.
/// </summary>
public sealed class RheiHealthCheck : IHealthCheck
{
    private readonly RheiDataSource _dataSource;
    private readonly RheiHealthCheckOptions _options;

    /// <summary>Initializes a health check of one data source.</summary>
    public RheiHealthCheck(RheiDataSource dataSource, RheiHealthCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _options = options ?? new RheiHealthCheckOptions();
    }

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The data source's string is already redacted; parsed again only for the keys the check needs.
        var settings = new RheiConnectionStringBuilder(_dataSource.ConnectionString);
        var data = new Dictionary<string, object> { ["data_source"] = Path.GetFileName(settings.DataSource) };
        RheiSyncStatus status;
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            if (settings.Olap == RheiOlapEngine.None)
            {
                return HealthCheckResult.Healthy("No DuckDB mirror (Olap=None): every read runs on SQLite.", data);
            }

            status = await connection.GetSyncStatusAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RheiException ex)
        {
            // RheiException messages never carry a password (the connection string appears redacted, if at all).
            return new HealthCheckResult(context.Registration.FailureStatus, "The Rhei data source cannot be used: " + ex.Message, ex, data);
        }

        Describe(status, data);
        if (status.MirrorUnavailableReason is { } unavailable)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The DuckDB mirror cannot take changes (reads run on SQLite): " + unavailable, data: data);
        }

        if (status.ConsecutiveSyncFailures >= _options.MaxConsecutiveSyncFailures)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The last {status.ConsecutiveSyncFailures} sync cycles failed; the mirror is not kept current.", data: data);
        }

        if (_options.RequireBackgroundSync && settings.SyncInterval > 0 && !status.IsBackgroundSyncRunning)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The background sync loop is not running although Sync Interval is {settings.SyncInterval} ms.", data: data);
        }

        var problems = new List<string>();
        if (status.Lag > _options.MaxLag)
        {
            problems.Add($"the mirror is {status.Lag} change events behind (more than {_options.MaxLag})");
        }

        if (status.Staleness > _options.MaxStaleness)
        {
            problems.Add($"the mirror has been behind for {status.Staleness.TotalSeconds:0.###} s (more than {_options.MaxStaleness.TotalSeconds:0.###} s)");
        }

        var quarantined = status.Tables.Where(static t => t.State == RheiTableSyncState.Quarantined).Select(static t => t.Table).ToArray();
        if (_options.DegradedWhenQuarantined && quarantined.Length > 0)
        {
            problems.Add($"quarantined (reads on SQLite): {string.Join(", ", quarantined)}");
        }

        return problems.Count > 0
            ? HealthCheckResult.Degraded("Rhei's DuckDB mirror is degraded: " + string.Join("; ", problems) + ".", data: data)
            : HealthCheckResult.Healthy($"The DuckDB mirror is current ({status.Lag} change events behind).", data);
    }

    private static void Describe(RheiSyncStatus status, Dictionary<string, object> data)
    {
        data["lag"] = status.Lag;
        data["staleness_seconds"] = status.Staleness.TotalSeconds;
        data["last_synced_sequence"] = status.LastSyncedSequence;
        data["consecutive_sync_failures"] = status.ConsecutiveSyncFailures;
        data["background_sync_running"] = status.IsBackgroundSyncRunning;
        if (status.MirrorUnavailableReason is { } unavailable)
        {
            data["mirror_unavailable_reason"] = unavailable;
        }

        data["quarantined_tables"] = status.Tables.Where(static t => t.State == RheiTableSyncState.Quarantined).Select(static t => t.Table).ToArray();
        data["tables"] = status.Tables.ToDictionary(
            static t => t.Table,
            static t => (object)new Dictionary<string, object?>
            {
                ["state"] = t.State.ToString(),
                ["lag"] = t.Lag,
                ["rows"] = t.Rows,
                ["quarantine_reason"] = t.QuarantineReason,
            },
            StringComparer.OrdinalIgnoreCase);
    }
}
