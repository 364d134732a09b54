using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Rhei.Data.Diagnostics;
using Rhei.Data.Sidecar.PostgreSql;

namespace Rhei.Data.Sidecar;

// What the observable gauges read: rhei.sidecar.lag.events / .lag.time (RheiMetrics.RegisterLagSource) and, for logical
// replication, rhei.sidecar.slot.lag in bytes (SidecarSlotLagGauge).
internal sealed partial class SidecarReplicator
{
    /// <summary>A lag reading is refreshed at most this often: a timestamp source counts pending rows by a query per table.</summary>
    private static readonly TimeSpan s_lagRefreshInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long a refresh waits for a running cycle before it keeps the last reading (it runs off the listener's thread).</summary>
    private static readonly TimeSpan s_lagRefreshLockWait = TimeSpan.FromSeconds(2);

    private IDisposable? _lagMetrics;
    private IDisposable? _slotLagMetrics;
    private IReadOnlyList<RheiLagMeasurement> _lastLag = [];
    private long _lastSlotLagBytes = -1;
    private long _lagReadAt;
    private int _lagRefreshing;
    private Task _lagRefresh = Task.CompletedTask;

    /// <summary>Publishes the sidecar's lag to the meter; <see cref="UnregisterMetricsAsync"/> takes it back.</summary>
    private void RegisterMetrics()
    {
        _lagMetrics ??= RheiMetrics.RegisterLagSource(RheiLagSourceKind.Sidecar, _options.DiagnosticsName, ReadLagForMetrics);
        if (_source is PostgreSqlLogicalReplicationSource)
        {
            _slotLagMetrics ??= SidecarSlotLagGauge.Register(_options.DiagnosticsName, _sidecar.Settings.ReplicationName, ReadSlotLagForMetrics);
        }
    }

    private async Task UnregisterMetricsAsync()
    {
        Interlocked.Exchange(ref _lagMetrics, null)?.Dispose();
        Interlocked.Exchange(ref _slotLagMetrics, null)?.Dispose();
        await Volatile.Read(ref _lagRefresh).ConfigureAwait(false);
    }

    /// <summary>
    /// The last reading, never waiting: the source is asked over the network (a count per table, or the slot's
    /// position), so a collection that finds the reading older than <see cref="s_lagRefreshInterval"/> starts a refresh
    /// in the background and reports what it has; the next collection sees the new reading.
    /// </summary>
    private IReadOnlyList<RheiLagMeasurement> ReadLagForMetrics()
    {
        RefreshLagIfStale();
        return Volatile.Read(ref _lastLag);
    }

    private long? ReadSlotLagForMetrics()
    {
        RefreshLagIfStale();
        return Interlocked.Read(ref _lastSlotLagBytes) is var bytes and >= 0 ? bytes : null;
    }

    private void RefreshLagIfStale()
    {
        if (Volatile.Read(ref _disposed)
            || (Interlocked.Read(ref _lagReadAt) is var readAt and not 0 && Stopwatch.GetElapsedTime(readAt) < s_lagRefreshInterval)
            || Interlocked.CompareExchange(ref _lagRefreshing, 1, 0) != 0)
        {
            return;
        }

        Volatile.Write(ref _lagRefresh, Task.Run(RefreshLagAsync));
    }

    private async Task RefreshLagAsync()
    {
        try
        {
            // The source's connections are the cycle's: wait for a running cycle, briefly (this is not the listener's thread).
            if (!await _lock.WaitAsync(s_lagRefreshLockWait).ConfigureAwait(false))
            {
                return;
            }

            try
            {
                if (!_disposed)
                {
                    var (readings, slotBytes) = await ReadLagAsync(CancellationToken.None).ConfigureAwait(false);
                    Volatile.Write(ref _lastLag, readings);
                    Interlocked.Exchange(ref _lastSlotLagBytes, slotBytes ?? -1);
                }
            }
            finally
            {
                _lock.Release();
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The source cannot be asked now (the server is down): the cycles report that; the gauges keep their last values.
            _logger.LogDebug(ex, "Reading the sidecar's lag for the metrics failed.");
        }
        finally
        {
            Interlocked.Exchange(ref _lagReadAt, Stopwatch.GetTimestamp());
            Volatile.Write(ref _lagRefreshing, 0);
        }
    }

    /// <summary>
    /// The lag now, under the lock: a timestamp source's rows past each table's watermark (and the time since the mirror
    /// last covered the source, for a table with rows pending); logical replication cannot count pending changes without
    /// decoding the WAL, so it gives one reading for the whole source with the slot's lag time (its events are 0) and
    /// its lag in bytes.
    /// </summary>
    private async Task<(IReadOnlyList<RheiLagMeasurement> Readings, long? SlotBytes)> ReadLagAsync(CancellationToken ct)
    {
        var staleness = Freshness.Staleness;
        if (_source is PostgreSqlLogicalReplicationSource replication)
        {
            var slot = await replication.SlotLagAsync(ct).ConfigureAwait(false);
            var time = slot is null || slot.Bytes <= 0 ? TimeSpan.Zero : slot.Time ?? staleness;
            return ([new RheiLagMeasurement(null, 0, time)], slot?.Bytes);
        }

        var pending = await _source.PendingAsync(_applied, ct).ConfigureAwait(false);
        var readings = new List<RheiLagMeasurement>();
        foreach (var table in _mirror.Tables.Where(t => t.QuarantineReason is null).OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var events = pending.GetValueOrDefault(table.Name);
            readings.Add(new RheiLagMeasurement(table.Name, events, events > 0 ? staleness : TimeSpan.Zero));
        }

        return (readings, null);
    }
}
