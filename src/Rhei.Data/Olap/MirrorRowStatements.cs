using System.Globalization;
using System.Text;
using Rhei.Data.Schema;
using Rhei.Data.Sync;

namespace Rhei.Data.Olap;

/// <summary>
/// The mirror session's prepared one-row statements of each table, for destructive batches of a few rows (a Strong read
/// right after a write):
/// <list type="bullet">
/// <item><c>INSERT INTO "t" VALUES ($1, …)</c> for a batch with at most <see cref="RowLimit"/> new rows: creating,
/// filling and closing an appender costs 0.5–1.2 ms whatever the row count, a prepared one-row INSERT 0.23–0.32 ms a row
/// (bench --only onerow-statements);</item>
/// <item><c>UPDATE "t" SET "c1" = $1, … WHERE "key" = $n+1</c> for a batch of one changed row (<see cref="TryUpsertOne"/>):
/// one statement where a DELETE and an INSERT are two, so the batch needs no transaction around it.</item>
/// </list>
/// Whoever changes a mirror table's columns (create, alter, drop, load, quarantine) forgets its statements; a statement
/// is also re-prepared whenever the batch's column types or the session are not the ones it was prepared for, so a
/// missed path costs a prepare, never a wrong row. Owned by <see cref="Sync.DuckDbMirror"/>; not thread-safe.
/// </summary>
/// <remarks>
/// Unlike a cached query (<see cref="DuckDbChangeTracker"/>: DuckDB re-uses a plan made for another table size), these
/// plans sort and join nothing: one inserts a row of parameters, the other filters one column by a parameter, into and
/// over a table without keys or indexes, so they stay right however the table grows between executions
/// (MirrorInPlaceUpdateTest checks the UPDATE over a table grown a thousandfold since it was prepared).
/// </remarks>
internal sealed class MirrorRowStatements : IDisposable
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

    /// <summary>Rows updated in place by <see cref="TryUpsertOne"/> so far.</summary>
    public long RowsUpdated { get; private set; }

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

        images.InsertEach(EntryFor(session, schema).Insert);
        RowsInserted += images.Count;
        return true;
    }

    /// <summary>
    /// A batch that changed one row of a table keyed by one INTEGER column, and kept it: the row is updated in place by
    /// its logged key, every column set from its image, or inserted when the mirror holds no row with that key (the
    /// key's first event was an insert). Either way a single statement changes the mirror, so the caller may run it as
    /// a transaction of its own: a reader sees the mirror before or after it, as with the DELETE and INSERT. False, with
    /// nothing done, for any other batch.
    /// </summary>
    public bool TryUpsertOne(DuckDbSession session, TableChanges changes)
    {
        var schema = changes.Schema;
        if (changes.Keys is not { Count: 1 } keys || changes.Images is not { Count: 1 } images
            || schema.KeyOrdinals.Count != 1 || schema.MirrorTypes[schema.KeyOrdinals[0]] != MirrorType.Integer)
        {
            return false;
        }

        ref readonly var key = ref keys.Entries[0];
        if (!key.IsInteger || key.Image != 0)
        {
            return false;
        }

        var entry = EntryFor(session, schema);
        var update = entry.Update ??= PrepareUpdate(session, schema);
        images.BindRow(update, 0);
        update.BindInt64(schema.MirrorTypes.Count + 1, key.Integer);
        if (update.ExecuteNonQuery() > 0)
        {
            RowsUpdated++;
            return true;
        }

        images.BindRow(entry.Insert, 0);
        entry.Insert.ExecuteNonQuery();
        RowsInserted++;
        return true;
    }

    /// <summary>Drops the statement of a table whose mirror was created, altered, dropped, reloaded or quarantined.</summary>
    public void Forget(string table)
    {
        if (_tables.Remove(table, out var entry))
        {
            entry.Dispose();
        }
    }

    /// <summary>Drops every statement: on open, drop-all, a failed transaction and dispose.</summary>
    public void Clear()
    {
        foreach (var entry in _tables.Values)
        {
            entry.Dispose();
        }

        _tables.Clear();
    }

    public void Dispose() => Clear();

    private Entry EntryFor(DuckDbSession session, TableSchema schema)
    {
        if (_tables.TryGetValue(schema.Name, out var entry))
        {
            if (ReferenceEquals(entry.Session, session) && entry.Types.SequenceEqual(schema.MirrorTypes))
            {
                return entry;
            }

            Forget(schema.Name);
        }

        var sql = new StringBuilder("INSERT INTO ").Append(schema.QuotedName).Append(" VALUES (");
        for (var i = 1; i <= schema.MirrorTypes.Count; i++)
        {
            sql.Append(i == 1 ? "$" : ", $").Append(i.ToString(CultureInfo.InvariantCulture));
        }

        var insert = session.Prepare(sql.Append(')').ToString());
        Prepared++;
        entry = new Entry(insert, schema.MirrorTypes.ToArray(), session);
        _tables[schema.Name] = entry;
        return entry;
    }

    // Every column from the image (the key too, as the DELETE and INSERT would leave it), matched by the logged key.
    private DuckDbPreparedStatement PrepareUpdate(DuckDbSession session, TableSchema schema)
    {
        var sql = new StringBuilder("UPDATE ").Append(schema.QuotedName).Append(" SET ");
        for (var i = 0; i < schema.MirrorTypes.Count; i++)
        {
            sql.Append(i == 0 ? string.Empty : ", ").Append(schema.QuotedColumns[i]).Append(" = $").Append((i + 1).ToString(CultureInfo.InvariantCulture));
        }

        sql.Append(" WHERE ").Append(schema.QuotedColumns[schema.KeyOrdinals[0]]).Append(" = $")
            .Append((schema.MirrorTypes.Count + 1).ToString(CultureInfo.InvariantCulture));
        var update = session.Prepare(sql.ToString());
        Prepared++;
        return update;
    }

    private sealed class Entry(DuckDbPreparedStatement insert, MirrorType[] types, DuckDbSession session) : IDisposable
    {
        public DuckDbPreparedStatement Insert { get; } = insert;

        public MirrorType[] Types { get; } = types;

        public DuckDbSession Session { get; } = session;

        /// <summary>Prepared on first use: most tables never see a batch of one kept row.</summary>
        public DuckDbPreparedStatement? Update { get; set; }

        public void Dispose()
        {
            Insert.Dispose();
            Update?.Dispose();
        }
    }
}
