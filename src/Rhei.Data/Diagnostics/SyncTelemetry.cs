using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Rhei.Data.Diagnostics;

/// <summary>
/// The spans of the sync side: <c>rhei.sync.cycle</c> (one per cycle, with its counts) and <c>rhei.sync.initial</c> (one
/// per initial sync of a table, with the rows loaded), errors recorded on both; and the cycle's metrics. Tags carry the
/// data source's diagnostics name, never the connection string.
/// </summary>
internal static class SyncTelemetry
{
    /// <summary>Starts the activity of one sync cycle (null when nobody listens), tagged with what asked for it.</summary>
    public static Activity? StartCycle(string trigger, string dataSource)
    {
        var activity = RheiDiagnostics.ActivitySource.StartActivity("rhei.sync.cycle", ActivityKind.Internal);
        if (activity is not null)
        {
            activity.SetTag(RheiDiagnostics.SystemName, RheiDiagnostics.DuckDb);
            activity.SetTag(RheiDiagnostics.OperationName, "sync");
            activity.SetTag(RheiDiagnostics.SyncTrigger, trigger);
            activity.SetTag(RheiDiagnostics.Namespace, dataSource);
        }

        return activity;
    }

    /// <summary>Ends a sync cycle: its counts as tags on the activity, its error recorded, its metrics, a Trace line and the pipeline's health.</summary>
    public static void EndCycle(
        Activity? activity, string trigger, string dataSource, TimeSpan elapsed, RheiSyncResult? result, int tables, Exception? error, ILogger logger, SyncHealth health)
    {
        health.Record(error);
        if (result is not null)
        {
            logger.SyncCycle(trigger, dataSource, result.EventsProcessed, result.RowsInserted, result.RowsUpdated, result.RowsDeleted, elapsed.TotalMilliseconds);
        }
        else if (error is not null)
        {
            logger.SyncCycleFailed(error, trigger, dataSource, elapsed.TotalMilliseconds);
        }

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
                RheiDiagnostics.RecordError(activity, error);
            }
        }

        RheiMetrics.RecordSyncCycle(trigger, dataSource, elapsed, result, error);
    }

    /// <summary>Loads one table into the mirror inside its <c>rhei.sync.initial</c> span, counting the rows in <c>rhei.sync.initial.rows</c>.</summary>
    public static long TraceInitialSync(string table, string dataSource, Func<long> load)
    {
        using var activity = StartInitialSync(table, dataSource);
        long rows;
        try
        {
            rows = load();
        }
        catch (Exception ex)
        {
            EndInitialSync(activity, null, ex);
            throw;
        }

        EndInitialSync(activity, rows, null);
        RheiMetrics.RecordInitialSyncRows(rows, table, dataSource);
        return rows;
    }

    /// <summary>Starts the activity of loading one table from SQLite.</summary>
    public static Activity? StartInitialSync(string table, string dataSource)
    {
        var activity = RheiDiagnostics.ActivitySource.StartActivity("rhei.sync.initial", ActivityKind.Internal);
        if (activity is not null)
        {
            activity.SetTag(RheiDiagnostics.SystemName, RheiDiagnostics.DuckDb);
            activity.SetTag(RheiDiagnostics.OperationName, "initial_sync");
            activity.SetTag(RheiDiagnostics.Namespace, dataSource);
            activity.SetTag(RheiDiagnostics.CollectionName, table);
        }

        return activity;
    }

    /// <summary>Ends an initial sync: the rows loaded, or the error.</summary>
    public static void EndInitialSync(Activity? activity, long? rows, Exception? error)
    {
        if (activity is null)
        {
            return;
        }

        if (rows is { } loaded)
        {
            activity.SetTag("rhei.sync.rows", loaded);
        }

        if (error is not null)
        {
            RheiDiagnostics.RecordError(activity, error);
        }
    }
}
