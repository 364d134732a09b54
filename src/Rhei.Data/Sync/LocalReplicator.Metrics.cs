using Microsoft.Data.Sqlite;
using Rhei.Data.Diagnostics;

namespace Rhei.Data.Sync;

// What the observable gauges read: the lag per table (rhei.sync.lag.events / .time) and the quarantined tables.
internal sealed partial class LocalReplicator
{
    private IDisposable? _lagMetrics;
    private IDisposable? _quarantineMetrics;
    private IReadOnlyList<RheiLagMeasurement> _lastLag = [];

    /// <summary>Publishes this engine's lag and quarantines to the meter; <see cref="UnregisterMetrics"/> takes them back.</summary>
    private void RegisterMetrics()
    {
        _lagMetrics ??= RheiMetrics.RegisterLagSource(RheiLagSourceKind.Sync, _options.DiagnosticsName, ReadLagForMetrics);
        _quarantineMetrics ??= RheiMetrics.RegisterQuarantineSource(_options.DiagnosticsName, () => _mirror.Tables.Count(t => t.QuarantineReason is not null));
    }

    private void UnregisterMetrics()
    {
        Interlocked.Exchange(ref _lagMetrics, null)?.Dispose();
        Interlocked.Exchange(ref _quarantineMetrics, null)?.Dispose();
    }

    /// <summary>
    /// Events of each replicated table not yet applied, and how long the mirror has been behind (the time since it last
    /// covered every committed change; zero for a table with nothing pending). Read from the change log under the
    /// engine's lock, which guards its SQLite connection; a collection that finds the lock taken (a cycle or a schema
    /// change is running) gets the last reading instead of waiting for it.
    /// </summary>
    private IReadOnlyList<RheiLagMeasurement> ReadLagForMetrics()
    {
        if (_disposed || !_pipeline.TryEnterLock())
        {
            return _lastLag;
        }

        try
        {
            if (_disposed)
            {
                return _lastLag;
            }

            var pending = Source.PendingPerTable(Watermark);
            var staleness = Freshness.Staleness;
            var readings = new List<RheiLagMeasurement>();
            foreach (var table in _registry.Tables)
            {
                var events = pending.GetValueOrDefault(table.Name);
                readings.Add(new RheiLagMeasurement(table.Name, events, events > 0 ? staleness : TimeSpan.Zero));
            }

            _lastLag = readings;
            return readings;
        }
        catch (SqliteException)
        {
            // The log cannot be read right now (locked, dropped outside Rhei): the cycle reports that; the gauge keeps its last value.
            return _lastLag;
        }
        finally
        {
            _pipeline.ExitLock();
        }
    }
}
