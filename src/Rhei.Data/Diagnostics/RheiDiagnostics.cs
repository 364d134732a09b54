using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Rhei.Data.Diagnostics;

/// <summary>
/// The provider's one <see cref="Meter"/> and one <see cref="ActivitySource"/>, both named <c>Rhei.Data</c>.
/// Instrument names follow OpenTelemetry's database conventions; Rhei's own carry the <c>rhei.</c> prefix.
/// </summary>
internal static class RheiDiagnostics
{
    public const string Name = "Rhei.Data";

    public static readonly ActivitySource ActivitySource = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Every routing decision, tagged with the target engine and the rule that chose it.</summary>
    public static readonly Counter<long> RouteDecisions = Meter.CreateCounter<long>(
        "rhei.route.decisions", unit: "{decision}", description: "Commands routed, by target engine and rule.");

    /// <summary>Auto-routed reads that DuckDB rejected and SQLite answered instead.</summary>
    public static readonly Counter<long> OlapFallbacks = Meter.CreateCounter<long>(
        "rhei.route.olap_fallbacks", unit: "{command}", description: "Auto-routed reads that fell back from DuckDB to SQLite.");

    public static readonly Histogram<double> OperationDuration = Meter.CreateHistogram<double>(
        "db.client.operation.duration", unit: "s", description: "Duration of database client operations.");

    public static void RecordRoute(RheiRoute target, string rule, string dataSource)
    {
        if (RouteDecisions.Enabled)
        {
            RouteDecisions.Add(1,
                new KeyValuePair<string, object?>("db.system.name", target == RheiRoute.Olap ? "duckdb" : "sqlite"),
                new KeyValuePair<string, object?>("rhei.route.rule", rule),
                new KeyValuePair<string, object?>("rhei.data_source", dataSource));
        }
    }
}
