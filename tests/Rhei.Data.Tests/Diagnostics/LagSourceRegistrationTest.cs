using Rhei.Data.Diagnostics;

namespace Rhei.Data.Tests.Diagnostics;

/// <summary>
/// <see cref="RheiMetrics.RegisterLagSource"/>, the API through which the bridge and the sidecar publish their lag: each
/// kind has its own pair of gauges, a reading lasts until the registration is disposed, and a failing source never hides
/// the others.
/// </summary>
public sealed class LagSourceRegistrationTest
{
    [Theory]
    [InlineData("Bridge", "rhei.bridge")]
    [InlineData("Sidecar", "rhei.sidecar")]
    public void Registered_source_is_published_on_its_own_gauges_until_disposed(string source, string prefix)
    {
        var kind = Enum.Parse<RheiLagSourceKind>(source);
        var name = "lag-" + Guid.NewGuid().ToString("N");
        using var capture = new TelemetryCapture(name);
        var reads = 0;
        var registration = RheiMetrics.RegisterLagSource(kind, name, () =>
        {
            // Each reading differs (other tests collect too), so the two gauges show whether they shared one.
            var n = Interlocked.Increment(ref reads);
            return [new RheiLagMeasurement("orders", n, TimeSpan.FromSeconds(n)), new RheiLagMeasurement(null, n, TimeSpan.FromSeconds(n))];
        });

        capture.CollectGauges();

        var events = capture.Measurements(prefix + ".lag.events");
        Assert.Equal(2, events.Count);
        Assert.All(events, m => Assert.Equal("{event}", m.Unit));
        var reading = events[0].Value;
        Assert.All(events, m => Assert.Equal(reading, m.Value));
        Assert.Contains(events, m => Equals(m.Tag("db.collection.name"), "orders"));
        Assert.Contains(events, m => !m.Tags.ContainsKey("db.collection.name"));
        var time = capture.Measurements(prefix + ".lag.time");
        // Both gauges of one collection share one reading: the time (n seconds) is the events' n.
        Assert.All(time, m => Assert.Equal(("s", reading), (m.Unit, m.Value)));
        Assert.Empty(capture.Measurements("rhei.sync.lag.events"));

        registration.Dispose();
        Thread.Sleep(300);
        capture.Clear();
        capture.CollectGauges();
        Assert.Empty(capture.Measurements(prefix + ".lag.events"));
        Assert.Empty(capture.Measurements(prefix + ".lag.time"));
    }

    [Fact]
    public void Source_that_throws_is_skipped_and_the_others_still_report()
    {
        var broken = "broken-" + Guid.NewGuid().ToString("N");
        var working = "working-" + Guid.NewGuid().ToString("N");
        using var brokenCapture = new TelemetryCapture(broken);
        using var workingCapture = new TelemetryCapture(working);
        using var failing = RheiMetrics.RegisterLagSource(RheiLagSourceKind.Bridge, broken, () => throw new InvalidOperationException("the log is closed"));
        using var fine = RheiMetrics.RegisterLagSource(RheiLagSourceKind.Bridge, working, () => [new RheiLagMeasurement(null, 7, TimeSpan.Zero)]);

        workingCapture.CollectGauges();

        Assert.Empty(brokenCapture.Measurements("rhei.bridge.lag.events"));
        Assert.Equal(7, Assert.Single(workingCapture.Measurements("rhei.bridge.lag.events")).Value);
    }
}
