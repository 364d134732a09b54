using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Rhei.Data.Benchmarks.Data;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>
/// The bridge group's rows and engines: a six-column table (the row the issue sizes the log for), written with one
/// prepared command per statement through raw Microsoft.Data.Sqlite or a Rhei data source, with or without <c>Bridge Path</c>.
/// </summary>
internal static class BridgeWorkload
{
    public const string OrdersDdl =
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer INTEGER NOT NULL, amount REAL NOT NULL, status TEXT NOT NULL, note TEXT NOT NULL, created TEXT NOT NULL)";

    /// <summary>A Rhei connection string on <paramref name="file"/>; <paramref name="bridge"/> null runs without a bridge.</summary>
    public static string ConnectionString(string file, string? bridge, string extra)
        => $"Data Source={file};Olap=DuckDb;{(bridge is null ? string.Empty : $"Bridge Path={bridge};")}{extra}";

    /// <summary>A data source whose <c>orders</c> table exists and is captured.</summary>
    public static RheiDataSource OpenDataSource(string file, string? bridge, string extra)
    {
        var dataSource = RheiDataSource.Create(ConnectionString(file, bridge, extra));
        using var connection = dataSource.OpenConnection();
        Connections.Execute(connection, OrdersDdl);
        return dataSource;
    }

    /// <summary>Inserts ids <paramref name="first"/>..first+count-1 in one transaction; returns rows/s.</summary>
    public static double InsertBatched(DbConnection connection, long first, long count)
    {
        using var command = InsertCommand(connection, out var bind);
        var watch = Stopwatch.StartNew();
        using var transaction = connection.BeginTransaction();
        command.Transaction = transaction;
        for (var key = first; key < first + count; key++)
        {
            bind(key);
            command.ExecuteNonQuery();
        }

        transaction.Commit();
        return count / watch.Elapsed.TotalSeconds;
    }

    /// <summary>A prepared INSERT of one order and the action that binds the values of order <c>id</c>.</summary>
    public static DbCommand InsertCommand(DbConnection connection, out Action<long> bind)
    {
        var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO orders (id, customer, amount, status, note, created) VALUES (@id, @customer, @amount, @status, @note, @created)";
        var id = Connections.AddParameter(command, "@id");
        var customer = Connections.AddParameter(command, "@customer");
        var amount = Connections.AddParameter(command, "@amount");
        var status = Connections.AddParameter(command, "@status");
        var note = Connections.AddParameter(command, "@note");
        var created = Connections.AddParameter(command, "@created");
        bind = key =>
        {
            id.Value = key;
            customer.Value = key % 1_000;
            amount.Value = (key % 10_000) / 100.0;
            status.Value = (key % 3) switch { 0 => "new", 1 => "paid", _ => "shipped" };
            note.Value = "order " + key.ToString(CultureInfo.InvariantCulture);
            created.Value = "2024-01-01 12:00:00";
        };
        return command;
    }

    /// <summary>Bytes of every file under <paramref name="directory"/>, as the file system reports them.</summary>
    public static long DirectoryBytes(string directory, string pattern = "*")
        => new DirectoryInfo(directory).EnumerateFiles(pattern, SearchOption.AllDirectories).Sum(f => f.Length);

    /// <summary>The load average as <c>uptime</c> prints it (1, 5, 15 minutes), for the note beside each figure.</summary>
    public static string LoadAverage()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"load {fields[0]} {fields[1]} {fields[2]}";
        }
        catch (IOException)
        {
            return "load n/a";
        }
    }
}
