using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Rhei.Tool.Dashboard;

/// <summary>
/// Listens to the library's <c>Rhei.Data</c> meter in this process and keeps a running total per counter and tag set
/// (route decisions by route and rule, OLAP fallbacks, sync cycles…), for the dashboard. It reads whatever counters the
/// meter publishes, so a new instrument shows up without a change here.
/// </summary>
internal sealed class RheiMeterTotals : IDisposable
{
    public const string MeterName = "Rhei.Data";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, double> _totals = new(StringComparer.Ordinal);

    public RheiMeterTotals()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeterName && instrument is Counter<long> or Counter<int> or Counter<double> or UpDownCounter<long>)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Totals by "instrument {tag=value, …}", sorted by name.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Snapshot()
        => _totals.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToArray();

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var parts = new List<string>(tags.Length);
        foreach (var tag in tags)
        {
            // The data source tag is the same on every line of one dashboard; the rest tell the lines apart.
            if (!tag.Key.Contains("data_source", StringComparison.Ordinal) && !tag.Key.Contains("namespace", StringComparison.Ordinal))
            {
                parts.Add($"{tag.Key}={tag.Value}");
            }
        }

        var key = parts.Count == 0 ? instrument.Name : $"{instrument.Name} {{{string.Join(", ", parts)}}}";
        _totals.AddOrUpdate(key, value, (_, total) => total + value);
    }
}
