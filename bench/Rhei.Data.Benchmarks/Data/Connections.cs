using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Rhei.Data.Benchmarks.Data;

/// <summary>
/// Opens the two sides of every comparison with the same SQLite settings: a file in WAL mode with
/// synchronous=NORMAL (what RheiConnection sets on every connection) and Microsoft.Data.Sqlite's defaults
/// otherwise, so the only difference is Rhei itself (routing, change capture).
/// </summary>
internal static class Connections
{
    public static SqliteConnection OpenRawSqlite(string file)
    {
        var connection = new SqliteConnection($"Data Source={file}");
        connection.Open();
        SqliteLoader.Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
        return connection;
    }

    /// <summary>A Rhei connection with the mirror in memory and no background sync unless <paramref name="extra"/> says so.</summary>
    public static RheiConnection OpenRhei(string file, string extra = "Sync Interval=0")
    {
        var connection = new RheiConnection($"Data Source={file};Olap=DuckDb;{extra}");
        connection.Open();
        return connection;
    }

    public static void Execute(DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    public static object? Scalar(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public static DbParameter AddParameter(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
