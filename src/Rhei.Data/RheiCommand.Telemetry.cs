using System.Data;
using Rhei.Data.Diagnostics;

namespace Rhei.Data;

/// <summary>
/// Tracing of each execution: every public Execute method runs through one of these wrappers, which open a span and a
/// duration measurement only when someone listens (<see cref="CommandTelemetry"/>). ExecuteNonQuery and ExecuteScalar end
/// theirs when they return; ExecuteReader's ends when its reader closes, so the span covers the reading too.
/// </summary>
public sealed partial class RheiCommand
{
    private CommandTelemetry? _telemetry;
    private CommandTelemetry? _readerTelemetry;

    /// <summary>The batch this command runs in, when a <see cref="RheiBatch"/> made it: its span learns the engine that answered.</summary>
    internal CommandTelemetry? BatchTelemetry { get; init; }

    private async Task<T> TracedAsync<T>(string method, Func<RheiCommand, bool, CancellationToken, Task<T>> execute, bool async, CancellationToken cancellationToken)
    {
        // A command with a connection learns its data source when it is planned; a data source's own command knows it now.
        var telemetry = CommandTelemetry.Start(method, _commandText, _connection is null ? _dataSource?.Options : null, BatchTelemetry);
        if (telemetry is null)
        {
            return await execute(this, async, cancellationToken).ConfigureAwait(false);
        }

        _telemetry = telemetry;
        try
        {
            var result = await execute(this, async, cancellationToken).ConfigureAwait(false);
            if (result is RheiDataReader)
            {
                // The reader's span ends when it closes (OnReaderClosed).
                _readerTelemetry = telemetry;
            }
            else
            {
                telemetry.Stop(null);
            }

            return result;
        }
        catch (Exception ex)
        {
            telemetry.Stop(ex);
            throw;
        }
        finally
        {
            _telemetry = null;
        }
    }

    // Unobserved commands go straight to the core method: no extra async frame, no delegate.
    private Task<int> ExecuteNonQueryTracedAsync(bool async, CancellationToken cancellationToken)
        => CommandTelemetry.IsObserved
            ? TracedAsync(nameof(ExecuteNonQuery), static (c, a, ct) => c.ExecuteNonQueryCoreAsync(a, ct), async, cancellationToken)
            : ExecuteNonQueryCoreAsync(async, cancellationToken);

    private Task<object?> ExecuteScalarTracedAsync(bool async, CancellationToken cancellationToken)
        => CommandTelemetry.IsObserved
            ? TracedAsync(nameof(ExecuteScalar), static (c, a, ct) => c.ExecuteScalarCoreAsync(a, ct), async, cancellationToken)
            : ExecuteScalarCoreAsync(async, cancellationToken);

    private Task<RheiDataReader> ExecuteReaderTracedAsync(CommandBehavior behavior, bool async, CancellationToken cancellationToken)
        => CommandTelemetry.IsObserved
            ? ExecuteReaderObservedAsync(behavior, async, cancellationToken)
            : ExecuteReaderCoreAsync(behavior, async, cancellationToken);

    private Task<RheiDataReader> ExecuteReaderObservedAsync(CommandBehavior behavior, bool async, CancellationToken cancellationToken)
        => TracedAsync(nameof(ExecuteReader), (c, a, ct) => c.ExecuteReaderCoreAsync(behavior, a, ct), async, cancellationToken);

    /// <summary>The plan of this execution is known: route decision counted, span told the engine and rule.</summary>
    private void RecordPlan(RheiConnection connection, CommandPlan plan)
    {
        RheiMetrics.RecordRoute(plan.Target, plan.Rule, connection.Options.DiagnosticsName);
        _telemetry?.Planned(connection.Options, plan);
    }

    /// <summary>DuckDB could not run an auto-routed read; SQLite answers it.</summary>
    private void RecordFallback(RheiConnection connection, CommandPlan plan)
    {
        RheiMetrics.RecordFallback(plan.Rule, connection.Options.DiagnosticsName);
        _telemetry?.FellBack();
    }

    /// <summary>The reader this execution returns reads from <paramref name="engine"/>.</summary>
    private void RecordAnswered(RheiRoute engine) => _telemetry?.Answered(engine);

    /// <summary>Ends an ExecuteReader span when its reader closes.</summary>
    private void EndReaderTelemetry()
    {
        _readerTelemetry?.Stop(null);
        _readerTelemetry = null;
    }
}
