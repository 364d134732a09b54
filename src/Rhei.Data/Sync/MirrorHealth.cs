using Rhei.Data.Olap;

namespace Rhei.Data.Sync;

/// <summary>
/// Whether the mirror can take changes, and whether its file is damaged. A fault makes reads go to SQLite until a
/// cycle succeeds; damage (a checksum that does not match) also has the next cycle rebuild the mirror from SQLite.
/// Read without the lock (the router asks on every command), so every field is read and written atomically.
/// </summary>
internal sealed class MirrorHealth
{
    private string? _fault;
    private string? _damage;

    /// <summary>Why the mirror cannot take changes right now, or null when it can.</summary>
    public string? Fault => Volatile.Read(ref _fault);

    /// <summary>The DuckDB message of a damaged block not yet repaired, or null.</summary>
    public string? Damage => Volatile.Read(ref _damage);

    /// <summary>Records a DuckDB failure as the current fault; true when the mirror was healthy until now.</summary>
    public bool RecordFailure(DuckDbException ex)
    {
        var damaged = MirrorFaults.IsDamage(ex);
        if (damaged)
        {
            Volatile.Write(ref _damage, ex.Message);
        }

        var reason = damaged
            ? $"the mirror file is damaged ({ex.Message}); reads run on SQLite while the next sync cycle rebuilds it from SQLite"
            : $"DuckDB cannot apply changes to the mirror ({ex.Message}); reads run on SQLite and the sync retries with backoff until it succeeds";
        return Interlocked.Exchange(ref _fault, reason) is null;
    }

    /// <summary>The damage has been rebuilt away.</summary>
    public void Repaired() => Volatile.Write(ref _damage, null);

    /// <summary>A cycle succeeded; true when that lifted a fault.</summary>
    public bool Recovered() => Interlocked.Exchange(ref _fault, null) is not null;
}
