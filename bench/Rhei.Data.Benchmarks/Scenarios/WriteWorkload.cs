using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Rhei.Data.Benchmarks.Data;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>
/// The write workloads, written once against DbConnection so raw Microsoft.Data.Sqlite and RheiConnection run
/// exactly the same ADO.NET calls: one prepared command per statement, values rebound per row. Each returns rows per
/// second of wall time; <c>cpuSeconds</c>, when given, receives the process CPU time the run took (the figure that
/// still means something when the shared machine's load stretches wall time).
/// </summary>
internal static class WriteWorkload
{
    public const string EventsDdl =
        "CREATE TABLE events (id INTEGER PRIMARY KEY, account INTEGER NOT NULL, amount REAL NOT NULL, note TEXT NOT NULL, created TEXT NOT NULL)";

    /// <summary>Inserts ids <paramref name="first"/>..first+count-1; one transaction, or one autocommit per row.</summary>
    public static double Insert(DbConnection connection, long first, long count, bool batched, StrongBox<double>? cpuSeconds = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO events (id, account, amount, note, created) VALUES (@id, @account, @amount, @note, @created)";
        var id = Connections.AddParameter(command, "@id");
        var account = Connections.AddParameter(command, "@account");
        var amount = Connections.AddParameter(command, "@amount");
        var note = Connections.AddParameter(command, "@note");
        var created = Connections.AddParameter(command, "@created");
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        using var transaction = batched ? connection.BeginTransaction() : null;
        command.Transaction = transaction;
        for (var key = first; key < first + count; key++)
        {
            id.Value = key;
            account.Value = key % 1_000;
            amount.Value = (key % 10_000) / 100.0;
            note.Value = "payment " + key.ToString(CultureInfo.InvariantCulture);
            created.Value = "2024-01-01 12:00:00";
            command.ExecuteNonQuery();
        }

        transaction?.Commit();
        return Rate(count, watch, cpu, cpuSeconds);
    }

    public static double Update(DbConnection connection, long first, long count, StrongBox<double>? cpuSeconds = null)
        => ByKey(connection, "UPDATE events SET amount = amount + 1, note = 'updated' WHERE id = @id", first, count, cpuSeconds);

    public static double Delete(DbConnection connection, long first, long count, StrongBox<double>? cpuSeconds = null)
        => ByKey(connection, "DELETE FROM events WHERE id = @id", first, count, cpuSeconds);

    private static double ByKey(DbConnection connection, string sql, long first, long count, StrongBox<double>? cpuSeconds)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        var id = Connections.AddParameter(command, "@id");
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        using var transaction = connection.BeginTransaction();
        command.Transaction = transaction;
        for (var key = first; key < first + count; key++)
        {
            id.Value = key;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
        return Rate(count, watch, cpu, cpuSeconds);
    }

    private static double Rate(long count, Stopwatch watch, TimeSpan cpuAtStart, StrongBox<double>? cpuSeconds)
    {
        var elapsed = watch.Elapsed.TotalSeconds;
        if (cpuSeconds is not null)
        {
            cpuSeconds.Value = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds;
        }

        return count / elapsed;
    }
}
