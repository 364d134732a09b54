using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Rhei.Data.Diagnostics;

/// <summary>
/// Every instrument of the <c>Rhei.Data</c> meter, and the small registration API through which a part of Rhei that
/// lags behind a source (the sync pipeline, the durable bridge, the sidecar) publishes its lag as observable gauges.
/// Durations are histograms in seconds and lags are gauges in events and in seconds, as OpenTelemetry's conventions ask
/// (a Prometheus exporter shows <c>rhei_sync_lag_time_seconds</c>). Every measurement carries <c>db.namespace</c>, the
/// data source's name (<see cref="RheiDataSourceBuilder.Name"/>, or the SQLite <c>Data Source</c> as written): never the
/// connection string, which may hold a password.
/// </summary>
internal static class RheiMetrics
{
    // OpenTelemetry's advice for db.client.operation.duration; sync cycles and freshness waits share the scale.
    private static readonly InstrumentAdvice<double> s_durationAdvice = new()
    {
        HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10],
    };

    private static readonly LagSourceRegistry s_sources = new();

    /// <summary>Duration of each command execution (ExecuteReader until its reader closes, ExecuteNonQuery, ExecuteScalar, batches).</summary>
    public static readonly Histogram<double> OperationDuration = RheiDiagnostics.Meter.CreateHistogram(
        "db.client.operation.duration", unit: "s", description: "Duration of database client operations.", tags: null, advice: s_durationAdvice);

    /// <summary>Every routing decision, tagged with the engine chosen (<c>db.system.name</c>) and the rule that chose it.</summary>
    public static readonly Counter<long> RouteDecisions = RheiDiagnostics.Meter.CreateCounter<long>(
        "rhei.route.decisions", unit: "{decision}", description: "Commands routed, by the engine chosen and the rule that chose it.");

    /// <summary>Auto-routed reads that DuckDB rejected and SQLite answered instead.</summary>
    public static readonly Counter<long> OlapFallbacks = RheiDiagnostics.Meter.CreateCounter<long>(
        "rhei.route.olap_fallbacks", unit: "{command}", description: "Auto-routed reads that fell back from DuckDB to SQLite.");

    public static readonly Counter<long> SyncCycles = RheiDiagnostics.Meter.CreateCounter<long>(
        "rhei.sync.cycles", unit: "{cycle}", description: "Sync cycles run, by trigger; failed ones carry error.type.");

    public static readonly Histogram<double> SyncCycleDuration = RheiDiagnostics.Meter.CreateHistogram(
        "rhei.sync.cycle.duration", unit: "s", description: "Duration of sync cycles.", tags: null, advice: s_durationAdvice);

    public static readonly Counter<long> SyncEvents = RheiDiagnostics.Meter.CreateCounter<long>(
        "rhei.sync.events", unit: "{event}", description: "Change events read from the source and applied to the DuckDB mirror.");

    public static readonly Counter<long> SyncRows = RheiDiagnostics.Meter.CreateCounter<long>(
        "rhei.sync.rows", unit: "{row}", description: "Mirror rows inserted, updated and deleted by sync cycles (rhei.sync.operation).");

    public static readonly Counter<long> InitialSyncRows = RheiDiagnostics.Meter.CreateCounter<long>(
        "rhei.sync.initial.rows", unit: "{row}", description: "Rows loaded into the mirror by initial syncs and rebuilds, per table.");

    public static readonly Histogram<double> FreshnessWait = RheiDiagnostics.Meter.CreateHistogram(
        "rhei.freshness.wait.duration", unit: "s", description: "Time analytical reads waited for the mirror to catch up before running.", tags: null, advice: s_durationAdvice);

    static RheiMetrics()
    {
        // Observable instruments hold their callback for the meter's lifetime; created once here.
        CreateLagGauges(RheiLagSourceKind.Sync, "rhei.sync", "Change events committed in the source and not yet applied to the DuckDB mirror", "How long the DuckDB mirror has been behind its source");
        CreateLagGauges(RheiLagSourceKind.Bridge, "rhei.bridge", "Events in the durable bridge log not yet consumed", "How long the bridge's consumer has been behind the log");
        CreateLagGauges(RheiLagSourceKind.Sidecar, "rhei.sidecar", "Changes of the followed database not yet applied", "How long the sidecar has been behind the followed database");
        RheiDiagnostics.Meter.CreateObservableGauge(
            "rhei.sync.quarantined_tables", s_sources.ObserveQuarantined, unit: "{table}", description: "Replicated tables quarantined (their reads run on SQLite).");
    }

    /// <summary>
    /// Publishes a lag source as the gauges <c>rhei.{kind}.lag.events</c> and <c>rhei.{kind}.lag.time</c> until the returned
    /// registration is disposed. <paramref name="read"/> is called when a listener collects (at most once per collection for
    /// both gauges), from the listener's thread: it must be quick, thread-safe and must not block on a running sync cycle
    /// (return the last known values instead). Exceptions it throws are swallowed and skip the source for that collection.
    /// </summary>
    /// <param name="kind">Which gauges the readings go to.</param>
    /// <param name="dataSource">The data source's diagnostics name (<c>RheiOptions.DiagnosticsName</c>), the <c>db.namespace</c> tag.</param>
    /// <param name="read">The current lag, one reading per table (or one with a null table for the source as a whole).</param>
    public static IDisposable RegisterLagSource(RheiLagSourceKind kind, string dataSource, Func<IReadOnlyList<RheiLagMeasurement>> read)
    {
        EnsureCreated();
        return s_sources.AddLagSource(kind, dataSource, read);
    }

    /// <summary>Publishes how many tables of a data source are quarantined (<c>rhei.sync.quarantined_tables</c>) until disposed.</summary>
    public static IDisposable RegisterQuarantineSource(string dataSource, Func<int> read)
    {
        EnsureCreated();
        return s_sources.AddQuarantineSource(dataSource, read);
    }

    public static void RecordRoute(RheiRoute target, Sql.RouteRule rule, string dataSource)
    {
        if (RouteDecisions.Enabled)
        {
            RouteDecisions.Add(1,
                new KeyValuePair<string, object?>(RheiDiagnostics.SystemName, RheiDiagnostics.SystemOf(target)),
                new KeyValuePair<string, object?>(RheiDiagnostics.RouteRule, rule.ToString()),
                new KeyValuePair<string, object?>(RheiDiagnostics.Namespace, dataSource));
        }
    }

    public static void RecordFallback(Sql.RouteRule rule, string dataSource)
    {
        if (OlapFallbacks.Enabled)
        {
            OlapFallbacks.Add(1,
                new KeyValuePair<string, object?>(RheiDiagnostics.RouteRule, rule.ToString()),
                new KeyValuePair<string, object?>(RheiDiagnostics.Namespace, dataSource));
        }
    }

    /// <summary>A read that had to wait for a sync cycle before it could run on the mirror.</summary>
    public static void RecordFreshnessWait(TimeSpan waited, RheiFreshness freshness, string dataSource)
    {
        if (FreshnessWait.Enabled)
        {
            FreshnessWait.Record(waited.TotalSeconds,
                new KeyValuePair<string, object?>(RheiDiagnostics.Freshness, freshness == RheiFreshness.Strong ? "strong" : "eventual"),
                new KeyValuePair<string, object?>(RheiDiagnostics.Namespace, dataSource));
        }
    }

    public static void RecordInitialSyncRows(long rows, string table, string dataSource)
    {
        if (InitialSyncRows.Enabled && rows > 0)
        {
            InitialSyncRows.Add(rows,
                new KeyValuePair<string, object?>(RheiDiagnostics.CollectionName, table),
                new KeyValuePair<string, object?>(RheiDiagnostics.Namespace, dataSource));
        }
    }

    /// <summary>One finished sync cycle: counted, timed, and its events and rows added (nothing applied when it failed).</summary>
    public static void RecordSyncCycle(string trigger, string dataSource, TimeSpan elapsed, RheiSyncResult? result, Exception? error)
    {
        if (SyncCycles.Enabled || SyncCycleDuration.Enabled)
        {
            var tags = new TagList
            {
                { RheiDiagnostics.SyncTrigger, trigger },
                { RheiDiagnostics.Namespace, dataSource },
            };
            if (error is not null)
            {
                // OpenTelemetry: error.type only on failed operations.
                tags.Add(RheiDiagnostics.ErrorType, RheiDiagnostics.ErrorTypeOf(error));
            }

            SyncCycles.Add(1, tags);
            SyncCycleDuration.Record(elapsed.TotalSeconds, tags);
        }

        if (result is null)
        {
            return;
        }

        var source = new KeyValuePair<string, object?>(RheiDiagnostics.Namespace, dataSource);
        if (SyncEvents.Enabled && result.EventsProcessed > 0)
        {
            SyncEvents.Add(result.EventsProcessed, source);
        }

        if (SyncRows.Enabled)
        {
            AddRows(result.RowsInserted, "insert", source);
            AddRows(result.RowsUpdated, "update", source);
            AddRows(result.RowsDeleted, "delete", source);
        }
    }

    private static void AddRows(long rows, string operation, KeyValuePair<string, object?> source)
    {
        if (rows > 0)
        {
            SyncRows.Add(rows, new KeyValuePair<string, object?>(RheiDiagnostics.SyncOperation, operation), source);
        }
    }

    private static void CreateLagGauges(RheiLagSourceKind kind, string prefix, string eventsDescription, string timeDescription)
    {
        RheiDiagnostics.Meter.CreateObservableGauge(prefix + ".lag.events", () => s_sources.ObserveEvents(kind), unit: "{event}", description: eventsDescription + ", per table.");
        RheiDiagnostics.Meter.CreateObservableGauge(prefix + ".lag.time", () => s_sources.ObserveTime(kind), unit: "s", description: timeDescription + ", per table.");
    }

    // Touching a static member runs the static constructor, which publishes the gauges before the first registration.
    private static void EnsureCreated() => _ = OperationDuration;
}
