using Microsoft.Data.Sqlite;
using Rhei.Data.Schema;

namespace Rhei.Data.Oltp;

/// <summary>The bookkeeping tables the engine keeps in the SQLite file.</summary>
internal static class ReplicationTables
{
    public const string CdcLog = "_rhei_cdc_log";
    public const string Consumers = "_rhei_consumers";
    public const string Meta = "_rhei_meta";

    /// <summary>The log's key columns k0…k7, one per primary key column.</summary>
    public static readonly string[] KeyColumns = Enumerable.Range(0, TableSchema.MaxKeyColumns).Select(i => "k" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    public static void Create(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;

        // CREATE ... IF NOT EXISTS is decided against the connection's cached schema and touches nothing when
        // the table is in it, so a table dropped by another connection would never come back: reading the
        // catalog first checks the schema cookie and reloads a stale schema.
        command.CommandText = "SELECT count(*) FROM sqlite_schema";
        command.ExecuteScalar();

        // A plain INTEGER PRIMARY KEY, not AUTOINCREMENT: SQLite numbers a new row max(seq) + 1, and the pruner always
        // keeps the log's last event, so numbers never go back (see CdcLogPruner). AUTOINCREMENT cost every captured row
        // a read and a write of sqlite_sequence (a second B-tree write, and one more page in the statement journal).
        // No NOT NULL either: a constraint that can abort makes SQLite open a statement journal for every statement that
        // fires a trigger, which was a third of a captured DELETE. The triggers always fill tbl and op.
        // The key columns have no type so they keep each key value exactly, blobs included.
        command.CommandText = $"""
            CREATE TABLE IF NOT EXISTS {CdcLog} ({LogColumnsDdl});
            CREATE TABLE IF NOT EXISTS {Consumers} (
                id TEXT PRIMARY KEY,
                watermark INTEGER NOT NULL,
                heartbeat INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS {SchemaRegistry.TableName} (
                tbl TEXT PRIMARY KEY COLLATE NOCASE,
                schema_json TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS {Meta} (
                key TEXT PRIMARY KEY,
                value INTEGER NOT NULL);
            """;
        command.ExecuteNonQuery();
        MigrateLegacyLog(connection, transaction);
        transaction.Commit();
    }

    /// <summary>The log's columns: seq, tbl, op, k0…k7, ts, img (the readers use these names).</summary>
    private static readonly string LogColumnsDdl = "seq INTEGER PRIMARY KEY, tbl TEXT, op TEXT, " + string.Join(", ", KeyColumns) + ", ts INTEGER, img TEXT";

    /// <summary>The log's columns in table order, as a select or insert list.</summary>
    public static readonly string LogColumnList = "seq, tbl, op, " + string.Join(", ", KeyColumns) + ", ts, img";

    /// <summary>
    /// Moves a log made before round four (<c>seq … AUTOINCREMENT</c>, <c>NOT NULL</c> names) to the current shape, rows
    /// and numbers unchanged, inside <paramref name="transaction"/>. Only when the log holds its last event: the old
    /// high-water mark lives in sqlite_sequence, and only a row at that number carries it into a plain rowid table. An
    /// old log that is empty keeps working as it is (its triggers insert the same columns) and moves at the first prune
    /// that finds it holding events. True when it moved the log.
    /// </summary>
    public static bool MigrateLegacyLog(SqliteConnection connection, SqliteTransaction transaction)
    {
        if (!IsLegacyLog(connection, transaction))
        {
            return false;
        }

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT coalesce((SELECT max(seq) FROM {CdcLog}), 0) >= coalesce((SELECT seq FROM sqlite_sequence WHERE name = '{CdcLog}'), 0) AND EXISTS (SELECT 1 FROM {CdcLog})";
        if (command.ExecuteScalar() is not 1L)
        {
            return false;
        }

        // A temporary copy rather than ALTER TABLE … RENAME: a rename re-parses every trigger, and the triggers name the
        // log that is being replaced.
        const string copy = "temp._rhei_cdc_log_migration";
        command.CommandText = $"""
            DROP TABLE IF EXISTS {copy};
            CREATE TABLE {copy} AS SELECT {LogColumnList} FROM main.{CdcLog};
            DROP TABLE main.{CdcLog};
            CREATE TABLE main.{CdcLog} ({LogColumnsDdl});
            INSERT INTO main.{CdcLog} ({LogColumnList}) SELECT {LogColumnList} FROM {copy} ORDER BY seq;
            DROP TABLE {copy};
            """;
        command.ExecuteNonQuery();
        return true;
    }

    /// <summary>Whether the log is still the AUTOINCREMENT table of before round four.</summary>
    public static bool IsLegacyLog(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = '{CdcLog}'";
        return command.ExecuteScalar() is string sql && sql.Contains("AUTOINCREMENT", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The query <see cref="MaxSequence"/> runs on <paramref name="connection"/>'s file (the freshness probe keeps it
    /// prepared). A file that ever had an AUTOINCREMENT table has sqlite_sequence, and an old log waiting for its move
    /// (see <see cref="MigrateLegacyLog"/>) keeps its high-water mark there; a file without sqlite_sequence cannot hold
    /// an old log, and sqlite_sequence is never dropped once made, so the choice holds for the connection's life.
    /// </summary>
    public static string MaxSequenceSql(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_sequence')";
        return command.ExecuteScalar() is 1L ? LegacyMaxSequenceSql : CurrentMaxSequenceSql;
    }

    private const string CurrentMaxSequenceSql = "SELECT coalesce(max(seq), 0) FROM " + CdcLog;

    private const string LegacyMaxSequenceSql = "SELECT max(coalesce((SELECT max(seq) FROM " + CdcLog + "), 0), coalesce((SELECT seq FROM sqlite_sequence WHERE name = '" + CdcLog + "'), 0))";

    /// <summary>Highest sequence number ever handed out (survives pruning), 0 when none.</summary>
    public static long MaxSequence(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = MaxSequenceSql(connection, transaction);
        return command.ExecuteScalar() is long v ? v : 0;
    }

    /// <summary>
    /// The random identity of this SQLite database, made on first start. The mirror stores it too, so a mirror
    /// built from another database is recognised. Copies of the file share it: those are told apart by sequence.
    /// </summary>
    public static long EnsureDatabaseId(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO {Meta} (key, value) VALUES ('{DatabaseIdKey}', $id) ON CONFLICT (key) DO NOTHING";
        command.Parameters.AddWithValue("$id", System.Security.Cryptography.RandomNumberGenerator.GetInt32(1, int.MaxValue) * (long)int.MaxValue + System.Security.Cryptography.RandomNumberGenerator.GetInt32(int.MaxValue));
        command.ExecuteNonQuery();
        return ReadMeta(connection, DatabaseIdKey);
    }

    public const string DatabaseIdKey = "database_id";

    /// <summary>SQLite's schema cookie: it changes with every schema change, a trigger dropped by anyone included.</summary>
    public static long SchemaVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA schema_version";
        return command.ExecuteScalar() is long v ? v : 0;
    }

    /// <summary>Events in the log with a sequence number in (<paramref name="fromExclusive"/>, <paramref name="toInclusive"/>].</summary>
    public static long CountEvents(SqliteConnection connection, long fromExclusive, long toInclusive)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {CdcLog} WHERE seq > $from AND seq <= $to";
        command.Parameters.AddWithValue("$from", fromExclusive);
        command.Parameters.AddWithValue("$to", toInclusive);
        return command.ExecuteScalar() is long v ? v : 0;
    }

    /// <summary>The highest sequence number present in the log at or below <paramref name="ceiling"/>, 0 when none.</summary>
    public static long MaxLoggedSequence(SqliteConnection connection, long ceiling)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT coalesce(max(seq), 0) FROM {CdcLog} WHERE seq <= $ceiling";
        command.Parameters.AddWithValue("$ceiling", ceiling);
        return command.ExecuteScalar() is long v ? v : 0;
    }

    /// <summary>
    /// Brings the log's numbering back to <paramref name="value"/> after someone outside Rhei.Data pushed it beyond
    /// <paramref name="outOfReach"/> (a row written with a huge seq, or an old log's sqlite_sequence): rows above
    /// <paramref name="outOfReach"/> go, except that the highest one is moved to <paramref name="value"/> when no row
    /// holds that number, so that the next event is numbered <paramref name="value"/> + 1.
    /// </summary>
    public static void ResetSequence(SqliteConnection connection, long value, long outOfReach)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.Parameters.AddWithValue("$v", value);
        command.Parameters.AddWithValue("$reach", outOfReach);
        command.CommandText = $"""
            DELETE FROM {CdcLog} WHERE seq > $reach AND (seq < (SELECT max(seq) FROM {CdcLog}) OR EXISTS (SELECT 1 FROM {CdcLog} WHERE seq = $v));
            UPDATE {CdcLog} SET seq = $v WHERE seq > $reach;
            """;
        command.ExecuteNonQuery();
        if (MaxSequenceSql(connection, transaction) == LegacyMaxSequenceSql)
        {
            command.CommandText = $"UPDATE sqlite_sequence SET seq = $v WHERE name = '{CdcLog}'";
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public static long ReadMeta(SqliteConnection connection, string key, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT value FROM " + Meta + " WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteScalar() is long v ? v : 0;
    }
}
