using System.Data;
using Rhei.Data.Diagnostics;

namespace Rhei.Data;

/// <summary>
/// Tracing of a batch: one <c>BATCH</c> span (with <c>db.operation.batch.size</c>) around the spans of its commands, and
/// its duration in <c>db.client.operation.duration</c>; made only when someone listens.
/// </summary>
public sealed partial class RheiBatch
{
    private CommandTelemetry? _telemetry;

    private async Task<int> RunAsync(
        Func<RheiCommand, CancellationToken, Task<(int Affected, DataTable? Table)>> run,
        CancellationToken cancellationToken,
        Func<int, (int Affected, DataTable? Table), int> collect)
    {
        var telemetry = CommandTelemetry.StartBatch(BatchCommands.Count, (Connection?.State == ConnectionState.Open ? Connection : null)?.Options ?? _dataSource?.Options);
        if (telemetry is null)
        {
            return await RunUntracedAsync(run, cancellationToken, collect).ConfigureAwait(false);
        }

        _telemetry = telemetry;
        try
        {
            var total = await RunUntracedAsync(run, cancellationToken, collect).ConfigureAwait(false);
            telemetry.Stop(null);
            return total;
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
}
