namespace Rhei.Data.Olap;

/// <summary>
/// Counts the statements that may change a database's data (writes, DDL, COMMIT, appenders), shared by every
/// session of one <see cref="DuckDbDatabase"/>, so that a prepared statement can tell whether the data moved
/// since it was planned.
/// </summary>
/// <remarks>
/// DuckDB keeps a prepared statement's physical plan across executions and re-plans only when the catalog
/// changes. A plan made for one table size can give wrong rows once the table has grown (DuckDB 1.5.6: an
/// <c>ORDER BY</c> planned over 1,000 rows and re-executed over 70,000 returns duplicated and mismatched rows;
/// <c>PREPARE</c>/<c>EXECUTE</c> in plain SQL shows the same). A cached statement is therefore reused only
/// while no write has started since it was prepared.
/// </remarks>
internal sealed class DuckDbChangeTracker
{
    private long _started;
    private long _finished;

    /// <summary>
    /// The number of writes started so far when none is in flight, or -1 while one is (a statement prepared
    /// then must not be reused).
    /// </summary>
    public long StableVersion
    {
        get
        {
            // Started first: equal counts then mean every write begun before the first read has finished.
            long started = Volatile.Read(ref _started);
            long finished = Volatile.Read(ref _finished);
            return started == finished ? started : -1;
        }
    }

    public void BeginWrite() => Interlocked.Increment(ref _started);

    public void EndWrite() => Interlocked.Increment(ref _finished);
}
