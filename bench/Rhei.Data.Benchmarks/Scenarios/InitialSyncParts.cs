using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Rhei.Data.Benchmarks.Data;
using Rhei.Data.Benchmarks.Harness;
using Rhei.Data.Olap;
using Rhei.Data.Oltp;
using Rhei.Data.Schema;
using SQLitePCL;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>
/// The parts of Rhei's own initial load, each timed alone on one thread over the same in-memory table: the SQLite
/// step through the native reader the loader uses, step plus the column reads, step plus reads plus the fill of
/// DuckDB data chunks (<see cref="MirrorLoadBatch"/>), and the hand-over of those chunks to the appender. The real
/// load overlaps reading and appending on two threads, so it runs at the slower of the two, not their sum.
/// </summary>
internal static class InitialSyncParts
{
    private const string Select = "SELECT id, account, amount, note, created FROM events";

    public static void Run(ScenarioContext context, long rows)
    {
        var name = "rhei-parts-" + Guid.NewGuid().ToString("N");
        using var sqlite = new SqliteConnection($"Data Source={name};Mode=Memory;Cache=Shared");
        sqlite.Open();
        Connections.Execute(sqlite, WriteWorkload.EventsDdl);
        SqliteLoader.Insert(sqlite, "events", 5, SyncScenario.EventRows(rows));
        MirrorType[] types = [MirrorType.Integer, MirrorType.Integer, MirrorType.Real, MirrorType.Text, MirrorType.Text];

        double step = 0, reads = 0, fill = 0, append = 0;
        using var database = DuckDbDatabase.Open(null);
        using var session = database.Connect();
        for (var round = 0; round < 2; round++)
        {
            step = Math.Max(step, rows / Timing.Time(() => Scan(sqlite, readColumns: false)).TotalSeconds);
            reads = Math.Max(reads, rows / Timing.Time(() => Scan(sqlite, readColumns: true)).TotalSeconds);
            var table = "parts_" + round;
            session.Execute($"CREATE TABLE {table} (id BIGINT, account BIGINT, amount DOUBLE, note VARCHAR, created VARCHAR)");
            var (fillSeconds, appendSeconds) = FillAndAppend(sqlite, session, table, types);
            fill = Math.Max(fill, rows / fillSeconds);
            append = Math.Max(append, rows / appendSeconds);
        }

        Add(context, "  part: SQLite step alone (native reader)", rows, step, "sqlite3_step per row, no column read");
        Add(context, "  part: step + column reads", rows, reads, "sqlite3_column_value, then its type and typed value per cell, text as UTF-8 pointers");
        Add(context, "  part: step + reads + chunk fill", rows, fill, "values written into DuckDB data chunks (the loader's reading thread)");
        Add(context, "  part: chunk append alone", rows, append, "duckdb_append_data_chunk of the filled chunks (the loader's appending thread)");
    }

    private static void Add(ScenarioContext context, string scenario, long rows, double rate, string note)
        => context.Report.Add(new Measurement(SyncScenario.Group, scenario, rows, "rows/s", rate, Note: note + ", one thread, best of 2"));

    private static void Scan(SqliteConnection sqlite, bool readColumns)
    {
        using var reader = new SqliteRowReader(sqlite, Select);
        long sum = 0;
        while (reader.Read())
        {
            if (!readColumns)
            {
                continue;
            }

            for (var i = 0; i < 5; i++)
            {
                var cell = reader.Cell(i)!.Value;
                sum += cell.StorageClass switch
                {
                    raw.SQLITE_INTEGER => cell.Int64,
                    raw.SQLITE_FLOAT => (long)cell.Double,
                    raw.SQLITE_TEXT => cell.Utf8.Length,
                    _ => 0,
                };
            }
        }

        GC.KeepAlive(sum);
    }

    /// <summary>Reads and fills chunks, appending each when full; the two parts are timed apart.</summary>
    private static (double Fill, double Append) FillAndAppend(SqliteConnection sqlite, DuckDbSession session, string table, MirrorType[] types)
    {
        var fill = new Stopwatch();
        var append = new Stopwatch();
        using var batch = new MirrorLoadBatch(types, validFrom: null);
        using var appender = session.CreateAppender(table);
        using (var reader = new SqliteRowReader(sqlite, Select))
        {
            fill.Start();
            while (reader.Read())
            {
                if (!batch.TryAdd(reader, out _))
                {
                    throw new InvalidOperationException("The benchmark's rows fit their columns.");
                }

                if (batch.IsFull)
                {
                    fill.Stop();
                    append.Start();
                    batch.AppendTo(appender);
                    append.Stop();
                    fill.Start();
                }
            }

            fill.Stop();
        }

        append.Start();
        batch.AppendTo(appender);
        appender.Close();
        append.Stop();
        return (fill.Elapsed.TotalSeconds, append.Elapsed.TotalSeconds);
    }
}
