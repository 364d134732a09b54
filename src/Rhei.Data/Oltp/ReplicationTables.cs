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

        // AUTOINCREMENT: sequence numbers never go back, even after a prune empties the log
        // (a plain rowid would restart at 1 and the watermark would skip the new events).
        // The key columns have no type so they keep each key value exactly, blobs included.
        command.CommandText = $"""
            CREATE TABLE IF NOT EXISTS {CdcLog} (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                tbl TEXT NOT NULL,
                op TEXT NOT NULL,
                {string.Join(", ", KeyColumns)},
                ts INTEGER,
                img TEXT);
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
        transaction.Commit();
    }

    /// <summary>The query <see cref="MaxSequence"/> runs (the freshness probe keeps it prepared).</summary>
    // sqlite_sequence keeps the high-water mark after the log is pruned empty.
    public const string MaxSequenceSql = "SELECT max(coalesce((SELECT max(seq) FROM " + CdcLog + "), 0), coalesce((SELECT seq FROM sqlite_sequence WHERE name = '" + CdcLog + "'), 0))";

    /// <summary>Highest sequence number ever handed out (survives pruning), 0 when none.</summary>
    public static long MaxSequence(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = MaxSequenceSql;
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

    /// <summary>The highest sequence number present in the log (not the high-water mark), 0 when empty.</summary>
    public static long MaxLoggedSequence(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT coalesce(max(seq), 0) FROM {CdcLog}";
        return command.ExecuteScalar() is long v ? v : 0;
    }

    /// <summary>Sets the log's AUTOINCREMENT high-water mark (after it was pushed out of reach by someone else).</summary>
    public static void ResetSequence(SqliteConnection connection, long value)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE sqlite_sequence SET seq = $v WHERE name = '{CdcLog}'";
        command.Parameters.AddWithValue("$v", value);
        command.ExecuteNonQuery();
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
