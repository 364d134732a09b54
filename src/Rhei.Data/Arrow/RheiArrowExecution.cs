using System.Data;
using Apache.Arrow.Ipc;
using Rhei.Data.Diagnostics;
using Rhei.Data.Olap;
using Rhei.Data.Sql;

namespace Rhei.Data.Arrow;

/// <summary>
/// Runs a command for <see cref="RheiCommand.ExecuteArrowReader"/>. A single statement the planner sends to DuckDB
/// is answered by DuckDB's own Arrow export (<see cref="DuckDbArrowStream"/>), with the freshness wait, token,
/// timeout and fallback of <see cref="RheiCommand.ExecuteReader()"/>. Everything else — SQLite, several statements,
/// PRAGMA rhei_*, a data source's command, an explicit transaction — runs through <see cref="RheiCommand.ExecuteReader()"/>
/// itself and is read into batches column by column (<see cref="ReaderArrowStream"/>).
/// </summary>
internal static class RheiArrowExecution
{
    public static async Task<IArrowArrayStream> ExecuteAsync(RheiCommand command, bool async, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // The reader path checks everything else (connection, transaction, text) and reports it as ExecuteReader does.
        if (command.Connection is { State: ConnectionState.Open } connection
            && connection.Transaction is null && command.Transaction is null && !string.IsNullOrWhiteSpace(command.CommandText))
        {
            var plan = command.Plan(connection);
            if (plan is { Control: null, Target: RheiRoute.Olap, OlapStatements.Count: 1 })
            {
                RheiMetrics.RecordRoute(plan.Target, plan.Rule, connection.Options.DiagnosticsName);
                // DuckDB's Arrow path bypasses ExecuteReader, so it has its own span; the whole result is materialised
                // before it returns, so the span covers DuckDB's work. A fallback's SQLite read gets ExecuteReader's span.
                var telemetry = CommandTelemetry.Start(nameof(RheiCommand.ExecuteArrowReader), command.CommandText, connection.Options, null);
                telemetry?.Planned(connection.Options, plan);
                try
                {
                    var statement = plan.OlapStatements[0];
                    var sqliteText = plan.OltpText ?? command.CommandText;
                    SqliteColumnNames.ThrowIfSqliteRefuses(connection, statement, sqliteText);
                    var names = SqliteColumnNames.Get(connection, statement, sqliteText);
                    var stream = await ExecuteOlapAsync(command, connection, statement, names, cancellationToken).ConfigureAwait(false);
                    telemetry?.Answered(RheiRoute.Olap);
                    telemetry?.Stop(null);
                    return stream;
                }
                catch (RheiException ex) when (ex.Engine == RheiException.DuckDbEngineName && plan.FallbackToOltp && !cancellationToken.IsCancellationRequested)
                {
                    // The router chose DuckDB but DuckDB could not run it: SQLite's answer is the right one.
                    RheiMetrics.RecordFallback(plan.Rule, connection.Options.DiagnosticsName);
                    telemetry?.FellBack();
                    telemetry?.Answered(RheiRoute.Oltp);
                    telemetry?.Stop(null);
                    return new ReaderArrowStream(await ExecuteOnSqliteAsync(command, async, cancellationToken).ConfigureAwait(false));
                }
                catch (Exception ex)
                {
                    telemetry?.Stop(ex);
                    throw;
                }
            }
        }

        return new ReaderArrowStream(await ExecuteReaderAsync(command, async, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<IArrowArrayStream> ExecuteOlapAsync(
        RheiCommand command, RheiConnection connection, OlapStatement statement, IReadOnlyList<string>? names, CancellationToken cancellationToken)
    {
        // As ExecuteReader: a strong read waits until the mirror holds every committed change, a bounded one until it is close enough.
        if (connection.Engine.Replication is { } replication && connection.Options.Freshness == RheiFreshness.Strong)
        {
            await replication.EnsureFreshAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (connection.Engine.Replication is { } eventual && connection.Options.MaxStaleness is { } bound)
        {
            await eventual.EnsureFreshWithinAsync(bound, cancellationToken).ConfigureAwait(false);
        }

        if (connection.Engine.Sidecar is { } sidecar)
        {
            await sidecar.EnsureFreshAsync(cancellationToken).ConfigureAwait(false);
        }

        var olapSession = connection.GetOlapSession();
        var session = olapSession.Session;
        var timeout = command.CommandTimeout;
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static s => ((DuckDbSession)s!).Interrupt(), session)
            : default;
        using var timer = timeout > 0
            ? new Timer(static s => ((DuckDbSession)s!).Interrupt(), session, TimeSpan.FromSeconds(timeout), Timeout.InfiniteTimeSpan)
            : null;
        try
        {
            // The whole result is materialised here, so the token and the timeout cover all of DuckDB's work.
            return new DuckDbArrowStream(DuckDbArrowQuery.Execute(olapSession, statement, command.Parameters), statement.Sql, names);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && timeout > 0)
        {
            throw new RheiException($"The command timed out after {timeout} seconds on DuckDB and was interrupted.", RheiException.DuckDbEngineName, 0, new TimeoutException());
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The command was canceled.", ex, cancellationToken);
        }
    }

    /// <summary>Runs the command on SQLite after DuckDB failed, as ExecuteReader's own fallback would.</summary>
    private static async Task<RheiDataReader> ExecuteOnSqliteAsync(RheiCommand command, bool async, CancellationToken cancellationToken)
    {
        // Route is a plain setting read only by the planner: asking for SQLite for this one execution skips a second DuckDB attempt.
        var route = command.Route;
        command.Route = RheiRoute.Oltp;
        try
        {
            return await ExecuteReaderAsync(command, async, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            command.Route = route;
        }
    }

    private static async Task<RheiDataReader> ExecuteReaderAsync(RheiCommand command, bool async, CancellationToken cancellationToken)
        => async
            ? await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false)
            : command.ExecuteReader();
}
