namespace Rhei.Data.Olap;

/// <summary>
/// A pooled DuckDB session plus the statements prepared on it, kept by SQL text: analytical commands repeat,
/// and preparing (parse, bind, plan) is a fixed cost per execution that DuckDB otherwise pays every time.
/// Used by one connection at a time, like the session itself.
/// </summary>
internal sealed class OlapSession : IDisposable
{
    private const int MaxStatements = 128;
    private readonly Dictionary<string, DuckDbPreparedStatement> _statements = new(StringComparer.Ordinal);

    public OlapSession(DuckDbSession session) => Session = session;

    public DuckDbSession Session { get; }

    /// <summary>Returns the prepared statement for <paramref name="sql"/>, preparing it the first time.</summary>
    public DuckDbPreparedStatement Prepare(string sql)
    {
        if (_statements.TryGetValue(sql, out var statement))
        {
            statement.ClearBindings();
            return statement;
        }

        statement = Session.Prepare(sql);
        if (_statements.Count >= MaxStatements)
        {
            Clear();
        }

        _statements[sql] = statement;
        return statement;
    }

    /// <summary>Forgets a statement that failed: it is prepared afresh next time (the mirror's schema may have moved).</summary>
    public void Forget(string sql)
    {
        if (_statements.Remove(sql, out var statement))
        {
            statement.Dispose();
        }
    }

    public void Clear()
    {
        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }

        _statements.Clear();
    }

    public void Dispose()
    {
        Clear();
        Session.Dispose();
    }
}
