using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Rhei.Data.Diagnostics;
using Rhei.Data.Olap;

namespace Rhei.Data.Sync;

// When the mirror cannot take changes (its disk is full, its file is damaged, DuckDB fails), SQLite keeps
// every change: the watermark only moves with a committed apply. Reads go to SQLite meanwhile (the
// router sees the engine as unavailable), status says why, and cycles are retried with a bounded backoff
// until one succeeds, which lifts the fault by itself.
internal sealed partial class ReplicationEngine
{
    private static readonly TimeSpan s_firstRetry = TimeSpan.FromMilliseconds(100);

    private string? _mirrorFault;
    private string? _damage;
    private SyncLoop? _recovery;

    /// <summary>Why the mirror cannot take changes right now (reads go to SQLite), or null when it can.</summary>
    public string? MirrorFault => Volatile.Read(ref _mirrorFault);

    /// <summary>Test hook: called with "apply" inside the mirror transaction of a batch; throw a DuckDB error to simulate a failing disk.</summary>
    internal Action<string>? ApplyFaultInjector
    {
        get => _mirror.ApplyFaultInjector;
        set => _mirror.ApplyFaultInjector = value;
    }

    /// <summary>
    /// One cycle (the caller holds the lock) with engine errors turned into <see cref="RheiException"/> and recorded
    /// as a fault; traced as an activity and timed in the operation-duration histogram.
    /// </summary>
    private RheiSyncResult RunCycleGuarded(SyncCycleTrigger trigger, CancellationToken ct)
    {
        var triggerName = TriggerName(trigger);
        var started = Stopwatch.GetTimestamp();
        using var activity = RheiDiagnostics.StartSyncCycle(triggerName, _options.DataSource);
        RheiSyncResult? result = null;
        Exception? error = null;
        var tables = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            if (Volatile.Read(ref _damage) is { } damage)
            {
                RebuildAll($"the mirror file is damaged ({damage})", warn: true, ct);
                Volatile.Write(ref _damage, null);
            }

            result = RunCycle(tables, ct);
            ClearFault();
            return result;
        }
        catch (DuckDbException ex)
        {
            error = ex;
            if (MirrorFaults.IsDamage(ex))
            {
                Volatile.Write(ref _damage, ex.Message);
            }

            SetFault(ex);
            throw Public(ex, "apply changes to the mirror");
        }
        catch (SqliteException ex)
        {
            error = ex;
            throw Public(ex, "read the change log");
        }
        catch (Exception ex)
        {
            error = ex;
            throw;
        }
        finally
        {
            RheiDiagnostics.RecordSyncCycle(activity, triggerName, Stopwatch.GetElapsedTime(started), result, tables.Count, error);
        }
    }

    private static string TriggerName(SyncCycleTrigger trigger) => trigger switch
    {
        SyncCycleTrigger.Explicit => "explicit",
        SyncCycleTrigger.Freshness => "freshness",
        _ => "background",
    };

    /// <summary>
    /// Told by a read that DuckDB failed. A damaged block (a checksum that does not match: the file opened, but
    /// part of it cannot be read) makes the mirror unavailable at once and has the next cycle rebuild it from
    /// SQLite; any other read error is the statement's own and changes nothing here.
    /// </summary>
    public void ReportReadFailure(Exception? error)
    {
        if (error is DuckDbException ex && MirrorFaults.IsDamage(ex))
        {
            Volatile.Write(ref _damage, ex.Message);
            SetFault(ex);
        }
    }

    private void SetFault(DuckDbException ex)
    {
        var reason = MirrorFaults.IsDamage(ex)
            ? $"the mirror file is damaged ({ex.Message}); reads run on SQLite while the next sync cycle rebuilds it from SQLite"
            : $"DuckDB cannot apply changes to the mirror ({ex.Message}); reads run on SQLite and the sync retries with backoff until it succeeds";
        if (Interlocked.Exchange(ref _mirrorFault, reason) is null)
        {
            _logger.LogError(ex, "The DuckDB mirror cannot take changes; reads run on SQLite until a sync cycle succeeds again.");
        }

        if (_loop is null && _recovery is null && !_disposed)
        {
            // Without a background loop nothing would try again: retry on our own until the mirror is back.
            _recovery = new SyncLoop(BackgroundCycleAsync, s_firstRetry, _logger, untilSuccess: true);
        }
    }

    private void ClearFault()
    {
        if (Interlocked.Exchange(ref _mirrorFault, null) is not null)
        {
            _logger.LogInformation("The DuckDB mirror takes changes again; reads use it again.");
        }

        _recovery = null;
    }

    /// <summary>An engine error as users see it: the public exception, naming the engine and what was being done, the original inside.</summary>
    internal static RheiException Public(Exception ex, string operation) => ex switch
    {
        RheiException rhei => rhei,
        DuckDbException duck => new RheiException($"DuckDB failed to {operation}: {duck.Message} (engine: DuckDB)", RheiException.DuckDbEngineName, duck.DuckDbErrorType ?? 0, duck),
        SqliteException sqlite => new RheiException($"SQLite failed to {operation}: {sqlite.Message} (engine: SQLite)", RheiException.SqliteEngineName, sqlite.SqliteExtendedErrorCode, sqlite),
        _ => RheiException.Provider($"Rhei.Data failed to {operation}: {ex.Message}", ex),
    };
}
