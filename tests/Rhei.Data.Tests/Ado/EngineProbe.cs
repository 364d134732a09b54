using System.Diagnostics.Metrics;

namespace Rhei.Data.Tests.Ado;

/// <summary>
/// Counts, from the provider's own metrics, which engine answered the commands of one data source: for APIs
/// (Dapper, batches) that never hand the <see cref="RheiDataReader"/> and its <see cref="RheiDataReader.Route"/> out.
/// A DuckDB decision that fell back to SQLite counts for SQLite.
/// </summary>
internal sealed class EngineProbe : IDisposable
{
    private readonly string _dataSource;
    private readonly MeterListener _listener = new();
    private long _duckDbDecisions;
    private long _sqliteDecisions;
    private long _fallbacks;

    public EngineProbe(RheiDataSource dataSource)
    {
        _dataSource = dataSource.Options.DiagnosticsName;
        _listener.InstrumentPublished = static (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Rhei.Data" && instrument.Name is "rhei.route.decisions" or "rhei.route.olap_fallbacks")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>Commands DuckDB answered.</summary>
    public long DuckDb => Interlocked.Read(ref _duckDbDecisions) - Interlocked.Read(ref _fallbacks);

    /// <summary>Commands SQLite answered, fallbacks included.</summary>
    public long Sqlite => Interlocked.Read(ref _sqliteDecisions) + Interlocked.Read(ref _fallbacks);

    /// <summary>Forgets what was counted so far.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _duckDbDecisions, 0);
        Interlocked.Exchange(ref _sqliteDecisions, 0);
        Interlocked.Exchange(ref _fallbacks, 0);
    }

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? dataSource = null;
        string? engine = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "db.namespace")
            {
                dataSource = tag.Value as string;
            }
            else if (tag.Key == "db.system.name")
            {
                engine = tag.Value as string;
            }
        }

        if (dataSource != _dataSource)
        {
            return;
        }

        if (instrument.Name == "rhei.route.olap_fallbacks")
        {
            Interlocked.Add(ref _fallbacks, value);
        }
        else if (engine == "duckdb")
        {
            Interlocked.Add(ref _duckDbDecisions, value);
        }
        else
        {
            Interlocked.Add(ref _sqliteDecisions, value);
        }
    }

    public void Dispose() => _listener.Dispose();
}
