using Microsoft.Extensions.Diagnostics.HealthChecks;
using Rhei.Data;
using Rhei.Data.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Rhei health check to an <see cref="IHealthChecksBuilder"/>.</summary>
public static class RheiHealthChecksBuilderExtensions
{
    private const string DefaultName = "rhei";

    /// <summary>
    /// Checks the <see cref="RheiDataSource"/> registered in the container (for example by <c>AddRheiDataSource</c>):
    /// Healthy, Degraded (lag or staleness over a threshold, a quarantined table) or Unhealthy (mirror unavailable, sync
    /// cycles failing, the background loop stopped).
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="configure">Sets the thresholds; null keeps the defaults.</param>
    /// <param name="name">The check's name (default <c>rhei</c>).</param>
    /// <param name="failureStatus">The status reported when the check fails (default <see cref="HealthStatus.Unhealthy"/>).</param>
    /// <param name="tags">Tags to filter checks by.</param>
    /// <param name="timeout">How long the check may take.</param>
    public static IHealthChecksBuilder AddRhei(
        this IHealthChecksBuilder builder,
        Action<RheiHealthCheckOptions>? configure = null,
        string name = DefaultName,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = Configure(configure);
        return builder.Add(new HealthCheckRegistration(
            name,
            sp => new RheiHealthCheck(sp.GetRequiredService<RheiDataSource>(), options),
            failureStatus,
            tags,
            timeout));
    }

    /// <summary>Checks the given data source; see <see cref="AddRhei(IHealthChecksBuilder, Action{RheiHealthCheckOptions}?, string, HealthStatus?, IEnumerable{string}?, TimeSpan?)"/>.</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="dataSource">The data source to check; it stays yours to dispose.</param>
    /// <param name="configure">Sets the thresholds; null keeps the defaults.</param>
    /// <param name="name">The check's name (default <c>rhei</c>).</param>
    /// <param name="failureStatus">The status reported when the check fails (default <see cref="HealthStatus.Unhealthy"/>).</param>
    /// <param name="tags">Tags to filter checks by.</param>
    /// <param name="timeout">How long the check may take.</param>
    public static IHealthChecksBuilder AddRhei(
        this IHealthChecksBuilder builder,
        RheiDataSource dataSource,
        Action<RheiHealthCheckOptions>? configure = null,
        string name = DefaultName,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        var check = new RheiHealthCheck(dataSource, Configure(configure));
        return builder.Add(new HealthCheckRegistration(name, _ => check, failureStatus, tags, timeout));
    }

    private static RheiHealthCheckOptions Configure(Action<RheiHealthCheckOptions>? configure)
    {
        var options = new RheiHealthCheckOptions();
        configure?.Invoke(options);
        return options;
    }
}
