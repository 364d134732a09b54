using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Rhei.Data.Diagnostics;

/// <summary>
/// The lag and quarantine sources the observable gauges read when a listener collects. A source registers for its
/// lifetime and unregisters by disposing its registration. A collection reads each source once: the events and the
/// time gauges of one source share a reading taken less than <see cref="ReuseWindow"/> ago, so a source is not asked
/// twice per scrape. A source that throws is skipped for that collection: one failing engine never breaks the metrics of
/// the others.
/// </summary>
internal sealed class LagSourceRegistry
{
    private static readonly TimeSpan ReuseWindow = TimeSpan.FromMilliseconds(250);

    private readonly Lock _lock = new();
    private readonly List<LagRegistration> _lagSources = [];
    private readonly List<QuarantineRegistration> _quarantineSources = [];

    public IDisposable AddLagSource(RheiLagSourceKind kind, string dataSource, Func<IReadOnlyList<RheiLagMeasurement>> read)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(read);
        var registration = new LagRegistration(this, kind, dataSource, read);
        lock (_lock)
        {
            _lagSources.Add(registration);
        }

        return registration;
    }

    public IDisposable AddQuarantineSource(string dataSource, Func<int> read)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(read);
        var registration = new QuarantineRegistration(this, dataSource, read);
        lock (_lock)
        {
            _quarantineSources.Add(registration);
        }

        return registration;
    }

    /// <summary>The lag in events of every source of one kind, one measurement per table.</summary>
    public IEnumerable<Measurement<long>> ObserveEvents(RheiLagSourceKind kind)
    {
        foreach (var (registration, reading) in Read(kind))
        {
            yield return new Measurement<long>(reading.Events, Tags(registration.DataSource, reading.Table));
        }
    }

    /// <summary>The lag in seconds of every source of one kind, one measurement per table.</summary>
    public IEnumerable<Measurement<double>> ObserveTime(RheiLagSourceKind kind)
    {
        foreach (var (registration, reading) in Read(kind))
        {
            yield return new Measurement<double>(reading.Time.TotalSeconds, Tags(registration.DataSource, reading.Table));
        }
    }

    public IEnumerable<Measurement<int>> ObserveQuarantined()
    {
        QuarantineRegistration[] sources;
        lock (_lock)
        {
            sources = [.. _quarantineSources];
        }

        foreach (var source in sources)
        {
            int count;
            try
            {
                count = source.Read();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                continue;
            }

            yield return new Measurement<int>(count, new KeyValuePair<string, object?>(RheiDiagnostics.Namespace, source.DataSource));
        }
    }

    private List<(LagRegistration Registration, RheiLagMeasurement Reading)> Read(RheiLagSourceKind kind)
    {
        LagRegistration[] sources;
        lock (_lock)
        {
            sources = [.. _lagSources.Where(s => s.Kind == kind)];
        }

        var readings = new List<(LagRegistration, RheiLagMeasurement)>();
        foreach (var source in sources)
        {
            foreach (var reading in source.Current())
            {
                readings.Add((source, reading));
            }
        }

        return readings;
    }

    private static KeyValuePair<string, object?>[] Tags(string dataSource, string? table)
        => table is null
            ? [new(RheiDiagnostics.Namespace, dataSource)]
            : [new(RheiDiagnostics.Namespace, dataSource), new(RheiDiagnostics.CollectionName, table)];

    private void Remove(LagRegistration registration)
    {
        lock (_lock)
        {
            _lagSources.Remove(registration);
        }
    }

    private void Remove(QuarantineRegistration registration)
    {
        lock (_lock)
        {
            _quarantineSources.Remove(registration);
        }
    }

    private sealed class LagRegistration(LagSourceRegistry owner, RheiLagSourceKind kind, string dataSource, Func<IReadOnlyList<RheiLagMeasurement>> read) : IDisposable
    {
        private readonly Lock _readLock = new();
        private IReadOnlyList<RheiLagMeasurement> _last = [];
        private long _readAt;

        public RheiLagSourceKind Kind => kind;

        public string DataSource => dataSource;

        public IReadOnlyList<RheiLagMeasurement> Current()
        {
            lock (_readLock)
            {
                if (_readAt != 0 && Stopwatch.GetElapsedTime(_readAt) < ReuseWindow)
                {
                    return _last;
                }

                try
                {
                    _last = read();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    _last = [];
                }

                _readAt = Stopwatch.GetTimestamp();
                return _last;
            }
        }

        public void Dispose() => owner.Remove(this);
    }

    private sealed class QuarantineRegistration(LagSourceRegistry owner, string dataSource, Func<int> read) : IDisposable
    {
        public string DataSource => dataSource;

        public int Read() => read();

        public void Dispose() => owner.Remove(this);
    }
}
