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

    /// <summary>
    /// Starts the activity of one sync cycle (null when nobody listens). Tagged with what asked for the cycle and
    /// the SQLite data source (a file name; never the connection string, which may hold a password).
    /// </summary>
    public static Activity? StartSyncCycle(string trigger, string dataSource)
    {
        var activity = ActivitySource.StartActivity("rhei.sync.cycle", ActivityKind.Internal);
        if (activity is not null)
        {
            activity.SetTag("db.system.name", "duckdb");
            activity.SetTag("db.operation.name", "sync");
            activity.SetTag("rhei.sync.trigger", trigger);
            activity.SetTag("rhei.data_source", dataSource);
        }

        return activity;
    }

    /// <summary>Ends a sync cycle: its counts as tags on the activity and its duration in <see cref="OperationDuration"/>.</summary>
    public static void RecordSyncCycle(Activity? activity, string trigger, TimeSpan elapsed, RheiSyncResult? result, int tables, Exception? error)
    {
        if (activity is not null)
        {
            if (result is not null)
            {
                activity.SetTag("rhei.sync.tables", tables);
                activity.SetTag("rhei.sync.events", result.EventsProcessed);
                activity.SetTag("rhei.sync.inserted", result.RowsInserted);
                activity.SetTag("rhei.sync.updated", result.RowsUpdated);
                activity.SetTag("rhei.sync.deleted", result.RowsDeleted);
                if (result.EventsPruned is { } pruned)
                {
                    activity.SetTag("rhei.sync.pruned", pruned);
                }
            }

            if (error is not null)
            {
                activity.SetStatus(ActivityStatusCode.Error, error.Message);
                activity.SetTag("error.type", error.GetType().FullName);
            }
        }

        if (OperationDuration.Enabled)
        {
            var tags = new TagList
            {
                { "db.system.name", "duckdb" },
                { "db.operation.name", "sync" },
                { "rhei.sync.trigger", trigger },
            };
            if (error is not null)
            {
                // OpenTelemetry: error.type only on failed operations.
                tags.Add("error.type", error.GetType().FullName);
            }

            OperationDuration.Record(elapsed.TotalSeconds, tags);
        }
    }

    public static void RecordRoute(RheiRoute target, Sql.RouteRule rule, string dataSource)
    {
        if (RouteDecisions.Enabled)
        {
            RouteDecisions.Add(1,
                new KeyValuePair<string, object?>("db.system.name", target == RheiRoute.Olap ? "duckdb" : "sqlite"),
                new KeyValuePair<string, object?>("rhei.route.rule", rule.ToString()),
                new KeyValuePair<string, object?>("rhei.data_source", dataSource));
        }
    }
}
