using System.Text;
using Microsoft.Data.Sqlite;
using Rhei.Data.Schema;

namespace Rhei.Data.Oltp;

/// <summary>
/// The change-capture triggers of one table. Destructive mode logs the key only (the sync reads
/// the row itself, in the same snapshot as the log); temporal mode also logs a timestamp and the
/// full new image, because history needs every version.
/// </summary>
internal static class CdcTriggers
{
    private const string Prefix = "_rhei_cdc_";

    public static void Create(SqliteConnection connection, SqliteTransaction transaction, TableSchema schema, RheiSyncMode mode)
    {
        Drop(connection, transaction, schema.Name);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        foreach (var sql in Statements(schema, mode))
        {
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Whether the table has exactly the triggers Rhei.Data would create for it, text for text (SQLite keeps the text as given).</summary>
    public static bool AreIntact(SqliteConnection connection, TableSchema schema, RheiSyncMode mode)
        => Present(connection, null, schema).SetEquals(Statements(schema, mode));

    /// <summary>
    /// Replaces the table's triggers when they are exactly the ones an earlier version of Rhei.Data created (one update
    /// trigger with an <c>INSERT … SELECT … WHERE</c> for key changes), in one transaction. Those capture the same events
    /// in the same order, so nothing needs reloading; true when it replaced them.
    /// </summary>
    public static bool UpgradeEarlier(SqliteConnection connection, TableSchema schema, RheiSyncMode mode)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        if (!Present(connection, transaction, schema).SetEquals(EarlierStatements(schema, mode)))
        {
            transaction.Commit();
            return false;
        }

        Create(connection, transaction, schema, mode);
        transaction.Commit();
        return true;
    }

    private static HashSet<string> Present(SqliteConnection connection, SqliteTransaction? transaction, TableSchema schema)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = $table COLLATE NOCASE AND substr(name, 1, 10) = '" + Prefix + "'";
        command.Parameters.AddWithValue("$table", schema.Name);
        var present = new HashSet<string>(StringComparer.Ordinal);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            present.Add(reader.IsDBNull(0) ? string.Empty : reader.GetString(0));
        }

        return present;
    }

    private static string[] Statements(TableSchema schema, RheiSyncMode mode)
    {
        var log = new LogInsert(schema, mode);
        var keys = log.Keys;
        var keyUnchanged = string.Join(" AND ", keys.Select(k => "OLD." + k + " IS NEW." + k));
        var keyChanged = string.Join(" OR ", keys.Select(k => "OLD." + k + " IS NOT NEW." + k));

        // UPDATE OF fires only for statements whose SET names one of the columns, and SQLite decides that once, when it
        // prepares the statement: an update that leaves the key alone (nearly all of them) runs one trigger with one
        // INSERT. SET rowid = … (or oid, _rowid_) changes an INTEGER PRIMARY KEY without naming it, so those names are
        // listed too (for a table without rowid they name nothing). The WHEN clauses make exactly one of the two fire.
        var keyNames = string.Join(", ", keys.Concat(["rowid", "oid", "_rowid_"]));
        return
        [
            $"CREATE TRIGGER {TriggerName(schema.Name, "ins")} AFTER INSERT ON {schema.QuotedName} BEGIN {log.Values("I", "NEW")}; END",
            $"CREATE TRIGGER {TriggerName(schema.Name, "upd")} AFTER UPDATE ON {schema.QuotedName} WHEN {keyUnchanged} BEGIN {log.Values("U", "NEW")}; END",

            // A key change is a delete of the old row and an insert of the new one, logged in that order.
            $"CREATE TRIGGER {TriggerName(schema.Name, "updkey")} AFTER UPDATE OF {keyNames} ON {schema.QuotedName} WHEN {keyChanged} BEGIN "
                + $"{log.Values("D", "OLD")}; {log.Values("U", "NEW")}; END",
            $"CREATE TRIGGER {TriggerName(schema.Name, "del")} AFTER DELETE ON {schema.QuotedName} BEGIN {log.Values("D", "OLD")}; END",
        ];
    }

    /// <summary>The triggers of Rhei.Data before round four, text for text, so that <see cref="UpgradeEarlier"/> knows them.</summary>
    private static string[] EarlierStatements(TableSchema schema, RheiSyncMode mode)
    {
        var log = new LogInsert(schema, mode);
        var keyChanged = string.Join(" OR ", log.Keys.Select(k => "OLD." + k + " IS NOT NEW." + k));
        return
        [
            $"CREATE TRIGGER {TriggerName(schema.Name, "ins")} AFTER INSERT ON {schema.QuotedName} BEGIN {log.Values("I", "NEW")}; END",
            $"CREATE TRIGGER {TriggerName(schema.Name, "upd")} AFTER UPDATE ON {schema.QuotedName} BEGIN "
                + $"INSERT INTO {ReplicationTables.CdcLog} ({log.Targets}) SELECT {log.Row("D", "OLD")} WHERE {keyChanged}; "
                + $"{log.Values("U", "NEW")}; END",
            $"CREATE TRIGGER {TriggerName(schema.Name, "del")} AFTER DELETE ON {schema.QuotedName} BEGIN {log.Values("D", "OLD")}; END",
        ];
    }

    /// <summary>The INSERT into the log one trigger makes: the table name, the op, the key and, temporal, a timestamp and the image.</summary>
    private sealed class LogInsert
    {
        private readonly TableSchema _schema;
        private readonly bool _temporal;
        private readonly string _table;

        public LogInsert(TableSchema schema, RheiSyncMode mode)
        {
            _schema = schema;
            _temporal = mode == RheiSyncMode.Temporal;
            _table = SqlIdentifier.Literal(schema.Name);
            Keys = schema.KeyOrdinals.Select(i => schema.QuotedColumns[i]).ToArray();
            Targets = "tbl, op, " + string.Join(", ", ReplicationTables.KeyColumns.Take(Keys.Length)) + (_temporal ? ", ts, img" : string.Empty);
        }

        public string[] Keys { get; }

        public string Targets { get; }

        /// <summary>INSERT … VALUES of one event; a delete carries no image.</summary>
        public string Values(string op, string row) => $"INSERT INTO {ReplicationTables.CdcLog} ({Targets}) VALUES ({Row(op, row)})";

        public string Row(string op, string row)
        {
            var sb = new StringBuilder();
            sb.Append(_table).Append(", '").Append(op).Append('\'');
            foreach (var key in Keys)
            {
                sb.Append(", ").Append(row).Append('.').Append(key);
            }

            if (_temporal)
            {
                // Epoch milliseconds; julianday works on every SQLite version.
                sb.Append(", CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER), ");
                sb.Append(op == "D" ? "NULL" : Image(_schema, row));
            }

            return sb.ToString();
        }
    }

    /// <summary>Drops every rhei trigger on the table, whatever table name it was created for.</summary>
    public static void Drop(SqliteConnection connection, SqliteTransaction? transaction, string table)
    {
        var names = List(connection, transaction, table);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        foreach (var name in names)
        {
            command.CommandText = "DROP TRIGGER IF EXISTS " + SqlIdentifier.Quote(name);
            command.ExecuteNonQuery();
        }
    }

    public static List<string> List(SqliteConnection connection, SqliteTransaction? transaction, string table)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = $table COLLATE NOCASE AND substr(name, 1, 10) = '" + Prefix + "'";
        command.Parameters.AddWithValue("$table", table);
        var names = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static string TriggerName(string table, string suffix) => SqlIdentifier.Quote(Prefix + table + "_" + suffix);

    /// <summary>
    /// json_object of the row. JSON has no blobs (json_object would fail the user's write), so a
    /// blob becomes <c>{"$b":"hex"}</c>; text stays a string, so the two cannot be confused.
    /// </summary>
    private static string Image(TableSchema schema, string row)
    {
        var sb = new StringBuilder("json_object(");
        for (var i = 0; i < schema.Columns.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            var value = row + "." + schema.QuotedColumns[i];
            sb.Append(SqlIdentifier.Literal(schema.Columns[i].Name)).Append(", ")
                .Append("CASE WHEN typeof(").Append(value).Append(") = 'blob' THEN json_object('$b', hex(").Append(value).Append(")) ELSE ").Append(value).Append(" END");
        }

        return sb.Append(')').ToString();
    }
}
