using System.Data;

namespace Rhei.Data;

/// <summary>
/// Answers <c>PRAGMA rhei_*</c> statements, the control surface for tools that only speak SQL:
/// <c>rhei_sync</c>, <c>rhei_status</c>, <c>rhei_register('t')</c>, <c>rhei_initial_sync('t')</c>,
/// <c>rhei_route('sql')</c>, <c>rhei_bridge_status</c>, <c>rhei_subscriptions</c>.
/// </summary>
internal static class RheiControlCommands
{
    public static async Task<RheiDataReader> ExecuteAsync(
        RheiConnection connection, RheiControlCommand control, CommandBehavior behavior, CancellationToken cancellationToken)
    {
        var table = await BuildAsync(connection, control, cancellationToken).ConfigureAwait(false);
        return RheiDataReader.FromTable(connection, table, behavior);
    }

    private static async Task<DataTable> BuildAsync(RheiConnection connection, RheiControlCommand control, CancellationToken cancellationToken)
    {
        switch (control.Name)
        {
            case "rhei_sync":
            {
                var result = await connection.SyncAsync(cancellationToken).ConfigureAwait(false);
                return Table(
                    ["events_processed", "rows_inserted", "rows_updated", "rows_deleted", "events_pruned", "duration_ms"],
                    [[result.EventsProcessed, result.RowsInserted, result.RowsUpdated, result.RowsDeleted, result.EventsPruned, (long)result.Duration.TotalMilliseconds]]);
            }

            case "rhei_status":
            {
                var status = await connection.GetSyncStatusAsync(cancellationToken).ConfigureAwait(false);
                return Table(
                    ["table_name", "mode", "rows", "lag", "state", "reason", "capture", "position", "lag_bytes", "lag_seconds"],
                    status.Tables.Select(t => new object?[]
                    {
                        t.Table, t.Mode.ToString(), t.Rows, t.Lag, t.State.ToString(), t.QuarantineReason, t.Capture, t.SourcePosition,
                        t.SourceLagBytes, t.SourceLagTime?.TotalSeconds,
                    }));
            }

            case "rhei_register":
                await connection.RegisterTableAsync(RequireArgument(control), cancellationToken).ConfigureAwait(false);
                return Table(["table_name", "registered"], [[control.Argument, 1L]]);

            case "rhei_initial_sync":
            {
                var rows = await connection.InitialSyncAsync(RequireArgument(control), null, cancellationToken).ConfigureAwait(false);
                return Table(["table_name", "rows"], [[control.Argument, rows]]);
            }

            case "rhei_route":
            {
                using var command = new RheiCommand(RequireArgument(control), connection, connection.Transaction);
                var explanation = command.ExplainRoute();
                return Table(["target", "reason", "rule", "olap_sql"],
                    [[explanation.Target == RheiRoute.Olap ? "duckdb" : "sqlite", explanation.Reason, explanation.Rule, explanation.OlapSql]]);
            }

            case "rhei_bridge_status":
            {
                // One row with Bridge Path, none without.
                var bridge = connection.Engine.Replication?.Bridge;
                var sqliteHighWater = bridge is null ? 0 : bridge.LatestPosition();
                return Table(
                    ["bridge_path", "bridge_watermark", "pruned_through", "log_events", "log_bytes", "unbridged_events"],
                    bridge is null
                        ? []
                        : [[bridge.Log.Path, bridge.Log.Watermark, bridge.Log.PrunedThrough, bridge.Log.Count, bridge.Log.ApproximateBytes(), Math.Max(0, sqliteHighWater - bridge.Log.Watermark)]]);
            }

            case "rhei_subscriptions":
            {
                var feed = connection.Engine.Replication?.Feed;
                return Table(
                    ["name", "position", "lag", "acknowledged_at"],
                    (feed?.List() ?? []).Select(s => new object?[] { s.Name, s.Position, s.Lag, s.AcknowledgedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture) }));
            }

            default:
                throw RheiException.Provider(
                    $"Unknown control command 'PRAGMA {control.Name}'. Rhei.Data knows rhei_sync, rhei_status, rhei_register('table'), rhei_initial_sync('table'), rhei_route('sql'), rhei_bridge_status and rhei_subscriptions.");
        }
    }

    private static string RequireArgument(RheiControlCommand control)
        => string.IsNullOrEmpty(control.Argument)
            ? throw RheiException.Provider($"PRAGMA {control.Name} needs an argument, for example PRAGMA {control.Name}('orders').")
            : control.Argument;

    private static DataTable Table(string[] columns, IEnumerable<object?[]> rows)
    {
        var table = new DataTable();
        foreach (var column in columns)
        {
            table.Columns.Add(column, typeof(object));
        }

        foreach (var row in rows)
        {
            table.Rows.Add(row.Select(v => v is int i ? (long)i : v ?? DBNull.Value).ToArray());
        }

        return table;
    }
}
