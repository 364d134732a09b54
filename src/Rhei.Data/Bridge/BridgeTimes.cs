using System.Diagnostics;

namespace Rhei.Data.Bridge;

/// <summary>
/// Where one bridging call spent its time, in <see cref="Stopwatch"/> ticks: reading SQLite's log and encoding the records,
/// the synced RocksDB write, and pruning SQLite's log. Three timestamps per chunk, so it is always kept.
/// </summary>
internal readonly record struct BridgeTimes(long ReadTicks, long WriteTicks, long PruneTicks)
{
    public TimeSpan Read => Stopwatch.GetElapsedTime(0, ReadTicks);

    public TimeSpan Write => Stopwatch.GetElapsedTime(0, WriteTicks);

    public TimeSpan Prune => Stopwatch.GetElapsedTime(0, PruneTicks);

    public BridgeTimes Add(long read, long write, long prune) => new(ReadTicks + read, WriteTicks + write, PruneTicks + prune);
}
