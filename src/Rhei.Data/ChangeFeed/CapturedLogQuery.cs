using Microsoft.Data.Sqlite;
using Rhei.Data.Oltp;
using Rhei.Data.Schema;

namespace Rhei.Data.ChangeFeed;

/// <summary>
/// The one statement that reads a chunk of <c>_rhei_cdc_log</c> for the bridge and the change feed: the events in sequence
/// order with, when a table is joined, each of its events' current row beside it (a LEFT JOIN on the key, so the log is
/// read once and every row is looked up once, in the caller's read transaction). Every shape of it lays its columns out
/// alike: seq, tbl, op, the key columns, ts, img, then the joined table's columns (NULL for another table's event and for
/// a row that is gone), so one decoder reads them all.
/// </summary>
internal static class CapturedLogQuery
{
    public const int Sequence = 0, Table = 1, Operation = 2, FirstKey = 3;

    public const int Time = FirstKey + TableSchema.MaxKeyColumns;

    public const int Image = Time + 1;

    /// <summary>Where the joined table's columns start.</summary>
    public const int FirstJoined = Image + 1;

    private static readonly string s_logColumns = "l.seq, l.tbl, l.op, " + string.Join(", ", ReplicationTables.KeyColumns.Select(k => "l." + k)) + ", l.ts, l.img";

    /// <summary>
    /// The chunk after ?1, at most ?2 events; with <paramref name="joined"/>, its rows beside the events whose tbl is ?3 (the
    /// name exactly as the log spells it, so the comparison is the log's own).
    /// </summary>
    public static string Chunk(TableSchema? joined)
        => joined is null
            ? $"SELECT {s_logColumns} FROM {ReplicationTables.CdcLog} AS l WHERE l.seq > ?1 ORDER BY l.seq LIMIT ?2"
            : $"SELECT {s_logColumns}, {JoinedColumns(joined)} FROM {ReplicationTables.CdcLog} AS l LEFT JOIN {joined.QuotedName} AS t ON l.tbl = ?3 AND {KeyJoin(joined)} WHERE l.seq > ?1 ORDER BY l.seq LIMIT ?2";

    /// <summary>The events after ?1 through ?2 whose tbl is ?3 (one spelling of one table), each with its current row.</summary>
    public static string OneTable(TableSchema joined)
        => $"SELECT {s_logColumns}, {JoinedColumns(joined)} FROM {ReplicationTables.CdcLog} AS l LEFT JOIN {joined.QuotedName} AS t ON {KeyJoin(joined)} WHERE l.seq > ?1 AND l.seq <= ?2 AND l.tbl = ?3 ORDER BY l.seq";

    /// <summary>The log's spelling of the first table after <paramref name="after"/>, or null when the log has nothing after it.</summary>
    public static string? FirstTable(SqliteConnection connection, long after)
    {
        using var reader = new SqliteRowReader(connection, $"SELECT tbl FROM {ReplicationTables.CdcLog} WHERE seq > ?1 ORDER BY seq LIMIT 1");
        reader.Bind(1, after);
        return reader.Read() ? reader.GetString(0) : null;
    }

    /// <summary>The key columns a logged event filled, for a table this engine does not know.</summary>
    public static int CountKeys(SqliteRowReader reader)
    {
        var count = TableSchema.MaxKeyColumns;
        while (count > 1 && reader.IsNull(FirstKey + count - 1))
        {
            count--;
        }

        return count;
    }

    /// <summary>Whether the event's key has a NULL among its first <paramref name="count"/> columns.</summary>
    public static bool HasNullKey(SqliteRowReader reader, int count)
    {
        for (var k = 0; k < count; k++)
        {
            if (reader.IsNull(FirstKey + k))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the joined row is there: a matched row's key equals the event's, so its first key column is not NULL.</summary>
    public static bool HasJoinedRow(SqliteRowReader reader, TableSchema joined) => !reader.IsNull(FirstJoined + joined.KeyOrdinals[0]);

    private static string JoinedColumns(TableSchema joined) => string.Join(", ", joined.QuotedColumns.Select(c => "t." + c));

    // The table's column first, so its collation and index apply.
    private static string KeyJoin(TableSchema schema)
        => string.Join(" AND ", schema.KeyOrdinals.Select((ordinal, k) => "t." + schema.QuotedColumns[ordinal] + " = l." + ReplicationTables.KeyColumns[k]));
}
