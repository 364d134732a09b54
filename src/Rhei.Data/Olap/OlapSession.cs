namespace Rhei.Data.Olap;

/// <summary>
/// A pooled DuckDB session plus the statements prepared on it, kept by SQL text: analytical commands repeat,
/// and preparing (parse, bind, plan) is a fixed cost per execution that DuckDB otherwise pays every time.
/// Used by one connection at a time, like the session itself.
/// </summary>
/// <remarks>
/// A cached statement is reused only while the database's data has not changed since it was prepared
/// (<see cref="DuckDbChangeTracker"/>): DuckDB keeps a prepared statement's physical plan, and a plan made for
/// other data can return wrong rows. Between writes, repeated commands still skip the prepare.
/// </remarks>
internal sealed class OlapSession : IDisposable
{
    private const int MaxStatements = 128;
    private readonly Dictionary<string, CachedStatement> _statements = new(StringComparer.Ordinal);

    public OlapSession(DuckDbSession session) => Session = session;

    public DuckDbSession Session { get; }

    /// <summary>
    /// Returns a statement for <paramref name="sql"/> prepared over the current data: the cached one when no
    /// write has started since it was prepared, otherwise a new one that replaces it.
    /// </summary>
    public DuckDbPreparedStatement Prepare(string sql)
    {
        // Read before preparing: a write starting after this makes the new statement stale for the next use.
        long version = Session.Changes.StableVersion;
        if (_statements.TryGetValue(sql, out var cached))
        {
            if (version >= 0 && cached.DataVersion == version)
            {
                cached.Statement.ClearBindings();
                return cached.Statement;
            }

            _statements.Remove(sql);
            cached.Statement.Dispose();
        }

        var statement = Session.Prepare(sql);
        if (_statements.Count >= MaxStatements)
        {
            Clear();
        }

        // Prepared while a write was in flight (version -1): kept only so that it is disposed, never reused.
        _statements[sql] = new CachedStatement(statement, version);
        return statement;
    }

    /// <summary>Forgets a statement that failed: it is prepared afresh next time (the mirror's schema may have moved).</summary>
    public void Forget(string sql)
    {
        if (_statements.Remove(sql, out var cached))
        {
            cached.Statement.Dispose();
        }
    }

    public void Clear()
    {
        foreach (var cached in _statements.Values)
        {
            cached.Statement.Dispose();
        }

        _statements.Clear();
    }

    public void Dispose()
    {
        Clear();
        Session.Dispose();
    }

    private readonly record struct CachedStatement(DuckDbPreparedStatement Statement, long DataVersion);
}
