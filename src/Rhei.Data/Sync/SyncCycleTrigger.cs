namespace Rhei.Data.Sync;

/// <summary>What asked for a sync cycle; the one cycle entry point behaves the same for each, except as noted.</summary>
internal enum SyncCycleTrigger
{
    /// <summary>An explicit <c>SyncAsync</c>: always runs, fails on a disposed engine.</summary>
    Explicit,

    /// <summary>A Strong (or overdue Eventual) read: runs only while the mirror is behind the position the read saw.</summary>
    Freshness,

    /// <summary>The background loop or the fault-recovery loop: skips quietly once the engine is disposed.</summary>
    Background,
}
