using Microsoft.Extensions.Logging;

namespace Rhei.Data.Diagnostics;

/// <summary>
/// Every log message of Rhei.Data, source-generated (<see cref="LoggerMessageAttribute"/>: no formatting, boxing or
/// allocation when the level is off) with a stable event id. Ids by area: 1xxx the engine, 2xxx sync cycles and loops,
/// 3xxx replicated tables and the registry, 4xxx the mirror's health. Levels are for production: a cycle, which runs every
/// 100 ms, is Trace; a table that stays on SQLite, a quarantine or a rebuild because the mirror no longer matched is
/// Warning; a planned load is Information; a mirror that cannot take changes, a background cycle that failed or an engine
/// that could not stop is Error. Data sources appear as their redacted connection string or their name, never with a password.
/// </summary>
internal static partial class RheiLog
{
    // 1xxx: the engine.
    [LoggerMessage(EventId = 1000, EventName = "EngineStarted", Level = LogLevel.Information,
        Message = "Rhei engine started for {DataSource} (mirror: {Mirror})")]
    public static partial void EngineStarted(this ILogger logger, string dataSource, string mirror);

    [LoggerMessage(EventId = 1001, EventName = "MirrorFileSetAside", Level = LogLevel.Warning,
        Message = "The DuckDB mirror '{Mirror}' is damaged ({Problem}); it was moved to '{Aside}' and the mirror is rebuilt from SQLite.")]
    public static partial void MirrorFileSetAside(this ILogger logger, Exception exception, string mirror, string problem, string aside);

    [LoggerMessage(EventId = 1002, EventName = "EngineStopFailed", Level = LogLevel.Error,
        Message = "Stopping replication failed for {DataSource}")]
    public static partial void EngineStopFailed(this ILogger logger, Exception exception, string dataSource);

    // 2xxx: sync cycles and loops.
    [LoggerMessage(EventId = 2000, EventName = "SyncCycle", Level = LogLevel.Trace,
        Message = "Sync cycle ({Trigger}) of {DataSource}: {Events} events, {Inserted} inserted, {Updated} updated, {Deleted} deleted in {ElapsedMs} ms")]
    public static partial void SyncCycle(this ILogger logger, string trigger, string dataSource, long events, long inserted, long updated, long deleted, double elapsedMs);

    [LoggerMessage(EventId = 2001, EventName = "SyncCycleFailed", Level = LogLevel.Debug,
        Message = "Sync cycle ({Trigger}) of {DataSource} failed after {ElapsedMs} ms")]
    public static partial void SyncCycleFailed(this ILogger logger, Exception exception, string trigger, string dataSource, double elapsedMs);

    [LoggerMessage(EventId = 2002, EventName = "BackgroundSyncFailed", Level = LogLevel.Error,
        Message = "Background sync cycle failed ({Failures} in a row); retrying in {Delay} ms.")]
    public static partial void BackgroundSyncFailed(this ILogger logger, Exception exception, int failures, double delay);

    // 3xxx: replicated tables and the registry.
    [LoggerMessage(EventId = 3000, EventName = "TableRegistered", Level = LogLevel.Information,
        Message = "Table '{Table}' registered for replication.")]
    public static partial void TableRegistered(this ILogger logger, string table);

    [LoggerMessage(EventId = 3001, EventName = "TableUnregistered", Level = LogLevel.Information,
        Message = "Table '{Table}' no longer replicated.")]
    public static partial void TableUnregistered(this ILogger logger, string table);

    [LoggerMessage(EventId = 3002, EventName = "TableNotReplicable", Level = LogLevel.Warning,
        Message = "Table '{Table}' cannot be replicated and stays on SQLite only.")]
    public static partial void TableNotReplicable(this ILogger logger, Exception exception, string table);

    [LoggerMessage(EventId = 3003, EventName = "RegistryEntryRebuilt", Level = LogLevel.Warning,
        Message = "The registry entry of table '{Table}' in {Registry} is damaged ({Problem}); it was rebuilt from the SQLite schema.")]
    public static partial void RegistryEntryRebuilt(this ILogger logger, string table, string registry, string problem);

    [LoggerMessage(EventId = 3004, EventName = "RegistryEntryRemoved", Level = LogLevel.Warning,
        Message = "The registry entry of table '{Table}' in {Registry} is damaged ({Problem}) and the table cannot be replicated; the entry was removed.")]
    public static partial void RegistryEntryRemoved(this ILogger logger, string table, string registry, string problem);

    [LoggerMessage(EventId = 3005, EventName = "RegistryFileIgnored", Level = LogLevel.Warning,
        Message = "The schema registry file is not valid JSON and is ignored.")]
    public static partial void RegistryFileIgnored(this ILogger logger, Exception exception);

    // 4xxx: the mirror's health.
    [LoggerMessage(EventId = 4000, EventName = "TableQuarantined", Level = LogLevel.Warning,
        Message = "Table '{Table}' is quarantined: {Reason} Key {Key}. Its queries run on SQLite until it is repaired and synced again.")]
    public static partial void TableQuarantined(this ILogger logger, string table, string reason, string? key);

    [LoggerMessage(EventId = 4001, EventName = "TableApplyFailed", Level = LogLevel.Warning,
        Message = "Applying changes to the mirror of '{Table}' failed; the table is quarantined.")]
    public static partial void TableApplyFailed(this ILogger logger, Exception exception, string table);

    [LoggerMessage(EventId = 4002, EventName = "MirrorUnavailable", Level = LogLevel.Error,
        Message = "The DuckDB mirror cannot take changes; reads run on SQLite until a sync cycle succeeds again.")]
    public static partial void MirrorUnavailable(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4003, EventName = "MirrorAvailable", Level = LogLevel.Information,
        Message = "The DuckDB mirror takes changes again; reads use it again.")]
    public static partial void MirrorAvailable(this ILogger logger);

    [LoggerMessage(EventId = 4004, EventName = "MirrorLoading", Level = LogLevel.Information,
        Message = "Loading the DuckDB mirror from SQLite: {Reason}.")]
    public static partial void MirrorLoading(this ILogger logger, string reason);

    [LoggerMessage(EventId = 4005, EventName = "MirrorRebuilt", Level = LogLevel.Warning,
        Message = "The DuckDB mirror no longer matched SQLite: {Reason}.")]
    public static partial void MirrorRebuilt(this ILogger logger, string reason);

    [LoggerMessage(EventId = 4006, EventName = "CleanupFailed", Level = LogLevel.Warning,
        Message = "Could not {What}.")]
    public static partial void CleanupFailed(this ILogger logger, Exception exception, string what);
}
