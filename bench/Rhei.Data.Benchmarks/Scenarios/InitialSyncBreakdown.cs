using System.Diagnostics;
using DuckDB.NET.Data;
using Microsoft.Data.Sqlite;
using Rhei.Data.Benchmarks.Data;
using Rhei.Data.Benchmarks.Harness;
using Rhei.Data.Olap;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>
/// Where an initial sync's time goes, and what a user would get without Rhei: the SQLite scan alone (as the loader
/// reads it, GetValue per cell); Rhei's DuckDB appender fed with values already in memory, against DuckDB.NET.Data's
/// appender fed the same values (interleaved); and the copy a user would write by hand (Microsoft.Data.Sqlite reader
/// straight into DuckDB.NET.Data's appender), against which the initial sync itself is compared.
/// </summary>
internal static class InitialSyncBreakdown
{
    private const string EventsDuckDbDdl = "(id BIGINT PRIMARY KEY, account BIGINT, amount DOUBLE, note VARCHAR, created VARCHAR)";

    public static void Run(ScenarioContext context, long rows, double initialSyncRate)
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
        GC.KeepAlive(cells);
        context.Report.Add(new Measurement(SyncScenario.Group, "  part: SQLite scan alone (GetValue)", rows, "rows/s", scanRate,
            Note: "Microsoft.Data.Sqlite, in memory, 5 columns"));

        var values = SyncScenario.EventRows(rows).ToList();
        using var database = DuckDbDatabase.Open(null);
        using var session = database.Connect();
        using var duckDbNet = DuckDbNetLoader.OpenInMemory();
        double ownRate = 0, duckDbNetRate = 0;
        // Two interleaved rounds into fresh tables; the better of each is kept.
        for (var round = 0; round < 2; round++)
        {
            var table = "events_" + round;
            session.Execute($"CREATE TABLE {table} {EventsDuckDbDdl}");
            ownRate = Math.Max(ownRate, rows / Timing.Time(() => DuckDbLoader.Append(session, table, values)).TotalSeconds);
            Connections.Execute(duckDbNet, $"CREATE TABLE {table} {EventsDuckDbDdl}");
            duckDbNetRate = Math.Max(duckDbNetRate, rows / Timing.Time(() => DuckDbNetLoader.Append(duckDbNet, table, values)).TotalSeconds);
        }

        context.Report.Add(new Measurement(SyncScenario.Group, "  part: DuckDB appender alone", rows, "rows/s", ownRate,
            duckDbNetRate, "DuckDB.NET.Data appender rows/s", ownRate / duckDbNetRate,
            Note: "Rhei's appender (data chunks) vs DuckDB.NET.Data's CreateRow/AppendValue/EndRow, same values already in memory, interleaved"));

        Connections.Execute(duckDbNet, $"CREATE TABLE copied {EventsDuckDbDdl}");
        var handCopyRate = rows / Timing.Time(() => HandWrittenCopy(sqlite, duckDbNet)).TotalSeconds;
        context.Report.Add(new Measurement(SyncScenario.Group, "initial sync vs hand-written copy", rows, "rows/s", initialSyncRate,
            handCopyRate, "hand-written copy rows/s", initialSyncRate / handCopyRate,
            Note: "the copy without Rhei: Microsoft.Data.Sqlite reader (typed getters) into DuckDB.NET.Data's appender, in memory"));
    }

    private static void HandWrittenCopy(SqliteConnection sqlite, DuckDBConnection duckDb)
    {
        using var command = new SqliteCommand("SELECT id, account, amount, note, created FROM events", sqlite);
        using var reader = command.ExecuteReader();
        using var appender = duckDb.CreateAppender("copied");
        while (reader.Read())
        {
            appender.CreateRow()
                .AppendValue(reader.GetInt64(0))
                .AppendValue(reader.GetInt64(1))
                .AppendValue(reader.GetDouble(2))
                .AppendValue(reader.GetString(3))
                .AppendValue(reader.GetString(4))
                .EndRow();
        }

        appender.Close();
    }
}
