using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Rhei.Data.Olap;

namespace Rhei.Data.Sync;

// When the mirror cannot take changes (its disk is full, its file is damaged, DuckDB fails), SQLite keeps
// every change: the watermark only moves with a committed apply. Reads go to SQLite meanwhile (the
// router sees the engine as unavailable), status says why, and cycles are retried with a bounded backoff
// until one succeeds, which lifts the fault by itself.
internal sealed partial class ReplicationEngine
{
    private string? _mirrorFault;
    private string? _damage;

    /// <summary>Why the mirror cannot take changes right now (reads go to SQLite), or null when it can.</summary>
    public string? MirrorFault => Volatile.Read(ref _mirrorFault);

    /// <summary>Test hook: called with "apply" inside the mirror transaction of a batch; throw a DuckDB error to simulate a failing disk.</summary>
    internal Action<string>? ApplyFaultInjector
    {
        get => _mirror.ApplyFaultInjector;
        set => _mirror.ApplyFaultInjector = value;
    }

    /// <summary>One cycle (the pipeline holds the lock) with engine errors turned into <see cref="RheiException"/> and recorded as a fault.</summary>
    private RheiSyncResult RunCycleGuarded(ISet<string> tablesApplied, CancellationToken ct)
    {
        try
        {
            if (Volatile.Read(ref _damage) is { } damage)
            {
                RebuildAll($"the mirror file is damaged ({damage})", warn: true, ct);
                Volatile.Write(ref _damage, null);
            }

            var result = RunCycle(tablesApplied, ct);
            ClearFault();
            return result;
        }
        catch (DuckDbException ex)
        {
            if (MirrorFaults.IsDamage(ex))
            {
                Volatile.Write(ref _damage, ex.Message);
            }

            SetFault(ex);
            throw Public(ex, "apply changes to the mirror");
        }
        catch (SqliteException ex)
        {
            throw Public(ex, "read the change log");
        }
    }

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

        _pipeline.StartRecovery();
    }

    private void ClearFault()
    {
        if (Interlocked.Exchange(ref _mirrorFault, null) is not null)
        {
            _logger.LogInformation("The DuckDB mirror takes changes again; reads use it again.");
        }

        _pipeline.EndRecovery();
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
