using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Rhei.Data.Benchmarks.Data;
using Rhei.Data.Benchmarks.Harness;
using Rhei.Data.Olap;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>
/// Where an initial sync's time goes: the two halves of the copy measured alone, the SQLite scan (as the
/// loader reads it, GetValue per cell) and the DuckDB appender fed with values already in memory.
/// </summary>
internal static class InitialSyncBreakdown
{
    public static void Run(ScenarioContext context, long rows)
    {
        var name = "rhei-scan-" + Guid.NewGuid().ToString("N");
        using var sqlite = new SqliteConnection($"Data Source={name};Mode=Memory;Cache=Shared");
        sqlite.Open();
        Connections.Execute(sqlite, WriteWorkload.EventsDdl);
        SqliteLoader.Insert(sqlite, "events", 5, SyncScenario.EventRows(rows));

        var scan = Stopwatch.StartNew();
        long cells = 0;
        using (var command = new SqliteCommand("SELECT id, account, amount, note, created FROM events", sqlite))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                for (var i = 0; i < 5; i++)
                {
                    cells += reader.GetValue(i) is DBNull ? 0 : 1;
                }
            }
        }

        var scanRate = rows / scan.Elapsed.TotalSeconds;
        var values = SyncScenario.EventRows(rows).ToList();
        using var database = DuckDbDatabase.Open(null);
        using var session = database.Connect();
        session.Execute("CREATE TABLE events (id BIGINT PRIMARY KEY, account BIGINT, amount DOUBLE, note VARCHAR, created VARCHAR)");
        var append = Stopwatch.StartNew();
        DuckDbLoader.Append(session, "events", values);
        var appendRate = rows / append.Elapsed.TotalSeconds;
        GC.KeepAlive(cells);

        context.Report.Add(new Measurement(SyncScenario.Group, "  part: SQLite scan alone (GetValue)", rows, "rows/s", scanRate,
            Note: "Microsoft.Data.Sqlite, in memory, 5 columns"));
        context.Report.Add(new Measurement(SyncScenario.Group, "  part: DuckDB appender alone", rows, "rows/s", appendRate,
            Note: "duckdb_append_<type> per value + end_row, values already in memory"));
    }
}
