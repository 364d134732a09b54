using Microsoft.Data.Sqlite;

namespace Rhei.Data.Benchmarks.Data;

/// <summary>Bulk loads rows into SQLite the fast way: one transaction, one prepared INSERT, rebinding values.</summary>
internal static class SqliteLoader
{
    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static void Insert(SqliteConnection connection, string table, int columns, IEnumerable<object[]> rows)
    {
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {table} VALUES ({string.Join(", ", Enumerable.Range(1, columns).Select(i => "$p" + i))})";
        var parameters = new SqliteParameter[columns];
        for (var i = 0; i < columns; i++)
        {
            parameters[i] = command.CreateParameter();
            parameters[i].ParameterName = "$p" + (i + 1);
            command.Parameters.Add(parameters[i]);
        }

        command.Prepare();
        foreach (var row in rows)
        {
            for (var i = 0; i < columns; i++)
            {
                parameters[i].Value = row[i];
            }

            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public static void LoadTpch(SqliteConnection connection, TpchGenerator data)
    {
        Execute(connection, TpchSchema.SqliteDdl);
        Insert(connection, "customer", 5, data.CustomerRows());
        Insert(connection, "orders", 6, data.OrderRows());
        Insert(connection, "lineitem", 11, data.LineItemRows());
    }
}
