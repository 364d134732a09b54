using Microsoft.Data.Sqlite;

namespace Rhei.Data.Schema;

/// <summary>Reads table shapes from a SQLite database's own catalog.</summary>
internal static class SqliteSchemaReader
{
    /// <summary>Ordinary tables (not virtual, not system), in name order.</summary>
    public static List<string> ListTables(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name";
        var tables = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var name = reader.GetString(0);
            if (!SqlIdentifier.IsSystemTable(name))
            {
                tables.Add(name);
            }
        }

        return tables;
    }

    /// <summary>The table's columns and primary key, or null when the table does not exist.</summary>
    public static RheiTableSchema? Read(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();

        // table_xinfo also lists generated columns, which are readable and worth mirroring;
        // hidden = 1 marks the hidden columns of virtual tables.
        command.CommandText = "SELECT name, type, \"notnull\", pk FROM pragma_table_xinfo($table) WHERE hidden <> 1 ORDER BY cid";
        command.Parameters.AddWithValue("$table", table);
        var columns = new List<RheiColumn>();
        var keys = new List<(int Position, string Name)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var name = reader.GetString(0);
                var pk = reader.GetInt32(3);
                columns.Add(new RheiColumn(name, reader.IsDBNull(1) ? string.Empty : reader.GetString(1), reader.GetInt64(2) == 0 && pk == 0));
                if (pk > 0)
                {
                    keys.Add((pk, name));
                }
            }
        }

        if (columns.Count == 0)
        {
            return null;
        }

        // The catalog spells the table as it was created; keep that spelling.
        command.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'table' AND name = $table COLLATE NOCASE";
        var exactName = command.ExecuteScalar() as string ?? table;
        return new RheiTableSchema(exactName, columns, keys.OrderBy(k => k.Position).Select(k => k.Name));
    }
}
