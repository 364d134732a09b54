using DuckDB.NET.Data;

namespace Rhei.Data.Benchmarks.Data;

/// <summary>
/// The baseline a .NET developer would pick for DuckDB: DuckDB.NET.Data's <see cref="DuckDBConnection"/>, loaded with
/// its appender and read with its <see cref="System.Data.Common.DbDataReader"/>.
/// </summary>
internal static class DuckDbNetLoader
{
    /// <summary>An in-memory database with the settings Rhei gives every DuckDB session, so both compute the same answers.</summary>
    public static DuckDBConnection OpenInMemory()
    {
        var connection = new DuckDBConnection("Data Source=:memory:");
        try
        {
            connection.Open();
            Connections.Execute(connection, DuckDbLoader.SqliteSemantics);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Appends rows of <see cref="long"/>, <see cref="double"/>, <see cref="string"/> and nulls, one typed call per value.</summary>
    public static void Append(DuckDBConnection connection, string table, IEnumerable<object[]> rows)
    {
        using var appender = connection.CreateAppender(table);
        foreach (var row in rows)
        {
            var appended = appender.CreateRow();
            foreach (var value in row)
            {
                appended = value switch
                {
                    null or DBNull => appended.AppendNullValue(),
                    long l => appended.AppendValue(l),
                    int i => appended.AppendValue((long)i),
                    double d => appended.AppendValue(d),
                    string s => appended.AppendValue(s),
                    _ => throw new ArgumentException($"The benchmark appender has no case for {value.GetType().Name} (table {table})."),
                };
            }

            appended.EndRow();
        }

        appender.Close();
    }

    public static void LoadTpch(DuckDBConnection connection, TpchGenerator data)
    {
        Connections.Execute(connection, TpchSchema.DuckDbDdl);
        Append(connection, "customer", data.CustomerRows());
        Append(connection, "orders", data.OrderRows());
        Append(connection, "lineitem", data.LineItemRows());
    }
}
