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
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = $table COLLATE NOCASE AND substr(name, 1, 10) = '" + Prefix + "'";
        command.Parameters.AddWithValue("$table", schema.Name);
        var present = new HashSet<string>(StringComparer.Ordinal);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                present.Add(reader.IsDBNull(0) ? string.Empty : reader.GetString(0));
            }
        }

        return present.SetEquals(Statements(schema, mode));
    }

    private static string[] Statements(TableSchema schema, RheiSyncMode mode)
    {
        var keys = schema.KeyOrdinals.Select(i => schema.QuotedColumns[i]).ToArray();
        var keyTargets = string.Join(", ", ReplicationTables.KeyColumns.Take(keys.Length));
        var temporal = mode == RheiSyncMode.Temporal;
        var targets = "tbl, op, " + keyTargets + (temporal ? ", ts, img" : string.Empty);
        var table = SqlIdentifier.Literal(schema.Name);

        string Values(string op, string row, bool withImage)
        {
            var sb = new StringBuilder();
            sb.Append(table).Append(", '").Append(op).Append('\'');
            foreach (var key in keys)
            {
                sb.Append(", ").Append(row).Append('.').Append(key);
            }

            if (temporal)
            {
                // Epoch milliseconds; julianday works on every SQLite version.
                sb.Append(", CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER), ");
                sb.Append(withImage ? Image(schema, row) : "NULL");
            }

            return sb.ToString();
        }

        var keyChanged = string.Join(" OR ", keys.Select(k => "OLD." + k + " IS NOT NEW." + k));
        var log = ReplicationTables.CdcLog;
        return
        [
            $"CREATE TRIGGER {TriggerName(schema.Name, "ins")} AFTER INSERT ON {schema.QuotedName} BEGIN INSERT INTO {log} ({targets}) VALUES ({Values("I", "NEW", true)}); END",

            // A key change is a delete of the old row and an insert of the new one.
            $"CREATE TRIGGER {TriggerName(schema.Name, "upd")} AFTER UPDATE ON {schema.QuotedName} BEGIN "
                + $"INSERT INTO {log} ({targets}) SELECT {Values("D", "OLD", false)} WHERE {keyChanged}; "
                + $"INSERT INTO {log} ({targets}) VALUES ({Values("U", "NEW", true)}); END",
            $"CREATE TRIGGER {TriggerName(schema.Name, "del")} AFTER DELETE ON {schema.QuotedName} BEGIN INSERT INTO {log} ({targets}) VALUES ({Values("D", "OLD", false)}); END",
        ];
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
