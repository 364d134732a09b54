using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Rhei.Data.Tests.Diagnostics;

/// <summary>One measurement of a Rhei.Data instrument, with its tags.</summary>
internal sealed record CapturedMeasurement(string Instrument, string? Unit, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    public object? Tag(string key) => Tags.GetValueOrDefault(key);
}

/// <summary>
/// Listens to the <c>Rhei.Data</c> ActivitySource and Meter and keeps what belongs to one data source (its
/// <c>db.namespace</c>): tests run in parallel, each on a database of its own, and see only their own spans and measurements.
/// </summary>
internal sealed class TelemetryCapture : IDisposable
{
    private readonly string _dataSource;
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters = new();
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ConcurrentQueue<Activity> _started = new();
    private readonly ConcurrentQueue<CapturedMeasurement> _measurements = new();

    public TelemetryCapture(string dataSource)
    {
        _dataSource = dataSource;
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Rhei.Data",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = _started.Enqueue,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("db.namespace"), _dataSource))
                {
                    _stopped.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_activities);
        _meters.InstrumentPublished = static (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Rhei.Data")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        _meters.SetMeasurementEventCallback<int>((i, v, t, _) => Record(i, v, t));
        _meters.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        _meters.Start();
    }

    /// <summary>Spans of this data source that have ended.</summary>
    public IReadOnlyList<Activity> Spans(string? name = null) => [.. _stopped.Where(a => name is null || a.OperationName == name)];

    /// <summary>Spans started so far (of any data source), whether ended or not.</summary>
    public IReadOnlyList<Activity> Started => [.. _started];

    public IReadOnlyList<CapturedMeasurement> Measurements(string instrument) => [.. _measurements.Where(m => m.Instrument == instrument)];

    /// <summary>Every measurement of this data source, for checks over all instruments.</summary>
    public IReadOnlyList<CapturedMeasurement> All => [.. _measurements];

    /// <summary>Asks the observable gauges for their current values now (as an exporter's collection would).</summary>
    public void CollectGauges() => _meters.RecordObservableInstruments();

    public void Clear()
    {
        _stopped.Clear();
        _measurements.Clear();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        if (Equals(copy.GetValueOrDefault("db.namespace"), _dataSource))
        {
            _measurements.Enqueue(new CapturedMeasurement(instrument.Name, instrument.Unit, value, copy));
        }
    }

    public void Dispose()
    {
        _activities.Dispose();
        _meters.Dispose();
    }
}
