namespace Rhei.Data.Diagnostics;

/// <summary>
/// How the sync cycles of one pipeline have been going: how many failed in a row (any trigger; a success resets it) and
/// when the last one succeeded. Read by <see cref="RheiSyncStatus.ConsecutiveSyncFailures"/> and so by health checks.
/// </summary>
internal sealed class SyncHealth
{
    private int _consecutiveFailures;
    private long _lastSuccessTicks;

    public int ConsecutiveFailures => Volatile.Read(ref _consecutiveFailures);

    /// <summary>When the last cycle succeeded, or null before the first.</summary>
    public DateTimeOffset? LastSuccessAt
        => Interlocked.Read(ref _lastSuccessTicks) is var ticks and not 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public void Record(Exception? error)
    {
        if (error is null)
        {
            Volatile.Write(ref _consecutiveFailures, 0);
            Interlocked.Exchange(ref _lastSuccessTicks, DateTimeOffset.UtcNow.UtcTicks);
        }
        else if (error is not OperationCanceledException)
        {
            // A cancelled cycle (a reader gave up, the engine stops) says nothing about the mirror.
            Interlocked.Increment(ref _consecutiveFailures);
        }
    }
}
