using System.Diagnostics.Metrics;
using Rhei.Data.Diagnostics;

namespace Rhei.Data.Sidecar;

/// <summary>
/// The gauge <c>rhei.sidecar.slot.lag</c> (bytes): how much WAL a logical-replication sidecar's slot holds behind the
/// server (<c>pg_current_wal_lsn() − confirmed_flush_lsn</c>), the PostgreSQL measure of a mirror that fell behind and of
/// the WAL the server keeps for it. Tagged with <c>db.namespace</c> and <c>rhei.sidecar.slot</c> (the slot's name, never
/// the connection string). Beside <see cref="RheiMetrics.RegisterLagSource"/>'s events and time, which have no byte unit.
/// </summary>
internal static class SidecarSlotLagGauge
{
    public const string Name = "rhei.sidecar.slot.lag";
    public const string SlotTag = "rhei.sidecar.slot";

    private static readonly Lock s_lock = new();
    private static readonly List<Registration> s_sources = [];

    static SidecarSlotLagGauge()
    {
        RheiDiagnostics.Meter.CreateObservableGauge(Name, Observe, unit: "By", description: "WAL bytes the logical replication slot of a PostgreSQL sidecar holds behind the server.");
    }

    /// <summary>Publishes a slot's lag until disposed; <paramref name="read"/> must be quick and never wait (null: no reading yet).</summary>
    public static IDisposable Register(string dataSource, string slot, Func<long?> read)
    {
        var registration = new Registration(dataSource, slot, read);
        lock (s_lock)
        {
            s_sources.Add(registration);
        }

        return registration;
    }

    private static IEnumerable<Measurement<long>> Observe()
    {
        Registration[] sources;
        lock (s_lock)
        {
            sources = [.. s_sources];
        }

        foreach (var source in sources)
        {
            long? bytes;
            try
            {
                bytes = source.Read();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                continue;
            }

            if (bytes is { } value)
            {
                yield return new Measurement<long>(value, new(RheiDiagnostics.Namespace, source.DataSource), new(SlotTag, source.Slot));
            }
        }
    }

    private sealed class Registration(string dataSource, string slot, Func<long?> read) : IDisposable
    {
        public string DataSource => dataSource;

        public string Slot => slot;

        public long? Read() => read();

        public void Dispose()
        {
            lock (s_lock)
            {
                s_sources.Remove(this);
            }
        }
    }
}
