using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Rhei.Data.Olap;
using static Rhei.Data.Tests.Sync.ReplicationHarness;

namespace Rhei.Data.Tests.Sync;

/// <summary>The sync pipeline's instruments: an activity per cycle with its counts, and the cycle's duration in the histogram.</summary>
public sealed class SyncDiagnosticsTest
{
    private static readonly CancellationToken s_ct = CancellationToken.None;

    [Fact]
    public async Task Sync_cycle_emits_an_activity_with_table_and_event_counts_and_records_its_duration()
    {
        await using var h = await StartAsync();
        h.Exec("CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT)");
        h.Exec("CREATE TABLE b (id INTEGER PRIMARY KEY, v TEXT)");
        await h.Engine.RegisterTableAsync("a", s_ct);
        await h.Engine.RegisterTableAsync("b", s_ct);
        h.Exec("INSERT INTO a VALUES (1, 'x'), (2, 'y')");
        h.Exec("UPDATE a SET v = 'z' WHERE id = 2");
        h.Exec("INSERT INTO b VALUES (1, 'x')");

        // Other tests run cycles at the same time: keep only this database's.
        var activities = new ConcurrentQueue<Activity>();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Rhei.Data",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.OperationName == "rhei.sync.cycle" && Equals(activity.GetTagItem("rhei.data_source"), h.DbPath))
                {
                    activities.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(activityListener);
        var durations = new ConcurrentQueue<double>();
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Rhei.Data" && instrument.Name == "db.client.operation.duration")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meterListener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "db.operation.name" && Equals(tag.Value, "sync"))
                {
                    durations.Enqueue(value);
                }
            }
        });
        meterListener.Start();

        var result = await h.Engine.SyncAsync(s_ct);

        var cycle = Assert.Single(activities);
        Assert.Equal(2, cycle.GetTagItem("rhei.sync.tables"));
        Assert.Equal(result.EventsProcessed, cycle.GetTagItem("rhei.sync.events"));
        Assert.Equal(4L, cycle.GetTagItem("rhei.sync.events"));
        Assert.Equal(3L, cycle.GetTagItem("rhei.sync.inserted"));
        Assert.Equal("explicit", cycle.GetTagItem("rhei.sync.trigger"));
        Assert.DoesNotContain(cycle.Tags, tag => tag.Value is { } v && v.Contains("Data Source", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(ActivityStatusCode.Unset, cycle.Status);
        Assert.Contains(durations, seconds => seconds > 0 && seconds <= result.Duration.TotalSeconds + 1);
    }

    [Fact]
    public async Task Failed_sync_cycle_marks_its_activity_as_an_error_and_records_the_error_type()
    {
        await using var h = await StartAsync();
        h.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
        await h.Engine.RegisterTableAsync("t", s_ct);
        h.Exec("INSERT INTO t VALUES (1, 1)");
        var activities = new ConcurrentQueue<Activity>();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Rhei.Data",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.OperationName == "rhei.sync.cycle" && Equals(activity.GetTagItem("rhei.data_source"), h.DbPath)
                    && Equals(activity.GetTagItem("rhei.sync.trigger"), "explicit"))
                {
                    activities.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(activityListener);
        var errorTypes = new ConcurrentQueue<string>();
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Rhei.Data" && instrument.Name == "db.client.operation.duration")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meterListener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "error.type" && tag.Value is string type)
                {
                    errorTypes.Enqueue(type);
                }
            }
        });
        meterListener.Start();
        h.Engine.ApplyFaultInjector = _ => throw new DuckDbException("IO Error: Could not write file \"mirror.duckdb.wal\": No space left on device", 28);

        await Assert.ThrowsAsync<RheiException>(() => h.Engine.SyncAsync(s_ct));
        h.Engine.ApplyFaultInjector = null;

        var cycle = Assert.Single(activities);
        Assert.Equal(ActivityStatusCode.Error, cycle.Status);
        Assert.Contains("No space left on device", cycle.StatusDescription, StringComparison.Ordinal);
        Assert.Equal(typeof(RheiException).FullName, cycle.GetTagItem("error.type"));
        Assert.Contains(typeof(RheiException).FullName!, errorTypes);
    }
}
