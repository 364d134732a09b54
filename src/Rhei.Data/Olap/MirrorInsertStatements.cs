using System.Globalization;
using System.Text;
using Rhei.Data.Schema;

namespace Rhei.Data.Olap;

/// <summary>
/// The mirror session's prepared one-row <c>INSERT INTO "t" VALUES ($1, …)</c> of each table, for a destructive batch
/// with only a few new rows (a Strong read right after a write): creating, filling and closing an appender costs
/// 0.5–1.2 ms whatever the row count, a prepared one-row INSERT 0.23–0.32 ms a row (bench --only onerow-statements).
/// Whoever changes a mirror table's columns (create, alter, drop, load, quarantine) forgets its statement; a statement
/// is also re-prepared whenever the batch's column types or the session are not the ones it was prepared for, so a
/// missed path costs a prepare, never a wrong row. Owned by <see cref="Sync.DuckDbMirror"/>; not thread-safe.
/// </summary>
/// <remarks>
/// Unlike a cached query (<see cref="DuckDbChangeTracker"/>: DuckDB re-uses a plan made for another table size), this
/// plan reads nothing of the table: it inserts one row of parameters into a table without keys or indexes, so it stays
/// right however the table grows between executions.
/// </remarks>
internal sealed class MirrorInsertStatements : IDisposable
{
    /// <summary>
    /// Up to this many new rows a batch inserts them one by one; beyond, one appender is cheaper. Break-even of the
    /// figures above is 2–5 rows.
    /// </summary>
    public const int RowLimit = 4;

    private readonly Dictionary<string, Entry> _tables = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Statements prepared so far (a test's view of the cache being reused).</summary>
    public int Prepared { get; private set; }

    /// <summary>Rows inserted through these statements so far (a test's view of which path a batch took).</summary>
    public long RowsInserted { get; private set; }

    /// <summary>
    /// Inserts the batch's new rows through the table's cached statement when there are at most <see cref="RowLimit"/>;
    /// false, with nothing done, when there are more.
    /// </summary>
    public bool TryInsert(DuckDbSession session, TableSchema schema, ApplyChunks images)
    {
        if (images.Count > RowLimit)
        {
            return false;
        }

        images.InsertEach(StatementFor(session, schema));
        RowsInserted += images.Count;
        return true;
    }

    /// <summary>Drops the statement of a table whose mirror was created, altered, dropped, reloaded or quarantined.</summary>
    public void Forget(string table)
    {
        if (_tables.Remove(table, out var entry))
        {
            entry.Statement.Dispose();
        }
    }

    /// <summary>Drops every statement: on open, drop-all, a failed transaction and dispose.</summary>
    public void Clear()
    {
        foreach (var entry in _tables.Values)
        {
            entry.Statement.Dispose();
        }

        _tables.Clear();
    }

    public void Dispose() => Clear();

    private DuckDbPreparedStatement StatementFor(DuckDbSession session, TableSchema schema)
    {
        if (_tables.TryGetValue(schema.Name, out var entry))
        {
            if (ReferenceEquals(entry.Session, session) && entry.Types.SequenceEqual(schema.MirrorTypes))
            {
                return entry.Statement;
            }

            Forget(schema.Name);
        }

        var sql = new StringBuilder("INSERT INTO ").Append(schema.QuotedName).Append(" VALUES (");
        for (var i = 1; i <= schema.MirrorTypes.Count; i++)
        {
            sql.Append(i == 1 ? "$" : ", $").Append(i.ToString(CultureInfo.InvariantCulture));
        }

        var statement = session.Prepare(sql.Append(')').ToString());
        _tables[schema.Name] = new Entry(statement, schema.MirrorTypes.ToArray(), session);
        Prepared++;
        return statement;
    }

    private sealed record Entry(DuckDbPreparedStatement Statement, MirrorType[] Types, DuckDbSession Session);
}
