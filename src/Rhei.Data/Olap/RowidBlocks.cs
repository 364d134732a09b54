using Microsoft.Data.Sqlite;
using Rhei.Data.Schema;

namespace Rhei.Data.Olap;

/// <summary>
/// A table's rowid span cut into consecutive inclusive ranges, the units the parallel initial load hands to its
/// readers; appended in range order, the mirror gets its rows in rowid order as a single reader would give them.
/// </summary>
internal sealed class RowidBlocks
{
    /// <summary>
    /// Smallest rowid span read in parallel. Opening the readers (a connection, its schema and the snapshot each)
    /// takes milliseconds, a few percent of loading 200,000 rows; the crossover was not measured more finely
    /// (docs/benchmarks.md, "Initial sync, round three").
    /// </summary>
    public const long ParallelThreshold = 200_000;

    // A dense table's block is 16 chunks of rows, which a reader's own batches can hold while it waits its turn;
    // a sparse table's span is cut into at most MaxBlocks blocks instead.
    private const long MinBlockSpan = 16 * MirrorLoadBatch.Capacity;
    private const long MaxBlocks = 4096;

    private readonly long _first;
    private readonly long _last;
    private readonly ulong _span;

    private RowidBlocks(string rowid, long first, long last)
    {
        Rowid = rowid;
        _first = first;
        _last = last;
        var width = unchecked((ulong)(last - first));
        _span = Math.Max((ulong)MinBlockSpan, (width / MaxBlocks) + 1);
        Count = checked((int)((width / _span) + 1));
    }

    /// <summary>The name that means the rowid in this table (rowid, _rowid_ or oid, whichever no column takes).</summary>
    public string Rowid { get; }

    public int Count { get; }

    /// <summary>The inclusive rowid bounds of block <paramref name="index"/>.</summary>
    public (long First, long Last) this[int index]
    {
        get
        {
            var first = unchecked(_first + (long)((ulong)index * _span));
            var last = index == Count - 1 ? _last : unchecked(first + (long)(_span - 1));
            return (first, last);
        }
    }

    /// <summary>The smallest and largest rowid of <paramref name="quotedTable"/>, each read off one end of its b-tree.</summary>
    internal static string BoundsSql(string rowid, string quotedTable)
        => $"SELECT (SELECT min({rowid}) FROM {quotedTable}), (SELECT max({rowid}) FROM {quotedTable})";

    /// <summary>
    /// The blocks of an ordinary rowid table whose rowid span is at least <see cref="ParallelThreshold"/>, read on
    /// <paramref name="connection"/> inside the caller's snapshot; null for a WITHOUT ROWID, virtual or small table.
    /// </summary>
    public static RowidBlocks? TryPlan(SqliteConnection connection, SqliteTransaction transaction, TableSchema schema)
    {
        var rowid = new[] { "rowid", "_rowid_", "oid" }
            .FirstOrDefault(name => !schema.Columns.Any(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)));
        if (rowid is null)
        {
            return null;
        }

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT type = 'table' AND wr = 0 FROM pragma_table_list WHERE schema = 'main' AND name = $name";
        command.Parameters.AddWithValue("$name", schema.Name);
        if (command.ExecuteScalar() is not long ordinary || ordinary == 0)
        {
            return null;
        }

        // Both ends of the rowid b-tree: two seeks, whatever the table's size. Each in its own subquery: SQLite reads
        // a lone min() or max() off the end of the b-tree, but `SELECT min(rowid), max(rowid)` scans the whole table
        // (75 ms at 1M rows, the serial start of every parallel load).
        command.CommandText = BoundsSql(rowid, schema.QuotedName);
        command.Parameters.Clear();
        using var reader = command.ExecuteReader();
        if (!reader.Read() || reader.IsDBNull(0))
        {
            return null;
        }

        var first = reader.GetInt64(0);
        var last = reader.GetInt64(1);
        return unchecked((ulong)(last - first)) + 1 < ParallelThreshold ? null : new RowidBlocks(rowid, first, last);
    }
}
