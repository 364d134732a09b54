using System.Diagnostics;
using DuckDB.NET.Data;
using Microsoft.Data.Sqlite;
using Rhei.Data.Benchmarks.Data;
using Rhei.Data.Benchmarks.Harness;
using Rhei.Data.Olap;
using Rhei.Data.Oltp;
using Rhei.Data.Schema;
using SQLitePCL;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>
/// Initial sync from what an application has: a SQLite file in WAL mode, into the in-memory mirror. Interleaved
/// rounds over the same file: RheiConnection.InitialSyncAsync against the copy a user would write by hand
/// (Microsoft.Data.Sqlite reader into DuckDB.NET.Data's appender); the loader on the snapshot's own connection alone
/// (round two's path), on one mutex-free snapshot reader and on one per processor (the shipped path); and the reading
/// thread's parts on the holder connection (cells) against a mutex-free reader (a type check and a typed getter).
/// </summary>
internal static class InitialSyncFile
{
    private const string Select = "SELECT id, account, amount, note, created FROM events";
    private const string EventsDuckDbDdl = "(id BIGINT, account BIGINT, amount DOUBLE, note VARCHAR, created VARCHAR)";
    // Best of three, or of one above 1M rows, where a round takes minutes on a loaded machine.
    private static int s_rounds = 3;

    private static int Rounds => s_rounds;

    /// <summary>The registered schema of <see cref="WriteWorkload.EventsDdl"/>'s table.</summary>
    private static TableSchema EventsSchema => new(new RheiTableSchema(
        "events",
        [new RheiColumn("id", "INTEGER", false), new RheiColumn("account", "INTEGER", false), new RheiColumn("amount", "REAL", false), new RheiColumn("note", "TEXT", false), new RheiColumn("created", "TEXT", false)],
        ["id"]));

    public static async Task RunAsync(ScenarioContext context, long rows)
    {
        s_rounds = rows > 1_000_000 ? 1 : 3;
        using var directory = context.NewDirectory("initial-file");
        var file = directory.File("source.db");
        Fill(file, rows);
        // The phases compare against round three's reload, which read in parallel: only tables that are read so.
        if (rows >= RowidBlocks.ParallelThreshold)
        {
            InitialSyncPhases.Run(context, file, rows, EventsSchema, rows > 1_000_000 ? 1 : 3);
        }

        using var duckDbNet = DuckDbNetLoader.OpenInMemory();
        double rhei = 0, hand = 0, atOpen = 0, cpuSeconds = double.MaxValue;
        long peak = 0, before = long.MaxValue;
        // Untimed: registers the table (so every timed open loads it) and warms the JIT up.
        await EndToEndAsync(file, rows).ConfigureAwait(false);
        for (var round = 0; round < Rounds; round++)
        {
            var (rate, openRate, sampledBefore, sampledPeak, cpu) = await EndToEndAsync(file, rows).ConfigureAwait(false);
            rhei = Math.Max(rhei, rate);
            atOpen = Math.Max(atOpen, openRate);
            cpuSeconds = Math.Min(cpuSeconds, cpu);
            before = Math.Min(before, sampledBefore);
            peak = Math.Max(peak, sampledPeak);
            Connections.Execute(duckDbNet, $"CREATE OR REPLACE TABLE copied {EventsDuckDbDdl}");
            hand = Math.Max(hand, rows / Timing.Time(() => HandWrittenCopy(file, duckDbNet)).TotalSeconds);
        }

        context.Report.Add(new Measurement(SyncScenario.Group, "initial sync (file, WAL)", rows, "rows/s", rhei,
            Target: Target.Min(2_000_000), Note: $"SQLite file (WAL) → DuckDB in memory, InitialSyncAsync (a reload), {MirrorParallelLoader.ReaderCount} readers, best of {Rounds}; process CPU {cpuSeconds * 1e6 / rows:0.00} µs per row"));
        // The target is on rows/s (a ratio beside it would be what Measurement checks): the hand-written copy goes in the note.
        context.Report.Add(new Measurement(SyncScenario.Group, "initial sync at open (file, WAL)", rows, "rows/s", atOpen,
            Target: Target.Min(2_000_000),
            Note: $"the first RheiConnection.OpenAsync on a file whose table is registered: engine start and the load into a new in-memory mirror, best of {Rounds}; {atOpen / hand:0.00}× the hand-written copy"));
        context.Report.Add(new Measurement(SyncScenario.Group, "initial sync (file) vs hand-written copy", rows, "rows/s", rhei,
            hand, "hand-written copy rows/s", rhei / hand,
            Note: $"Microsoft.Data.Sqlite reader (typed getters) into DuckDB.NET.Data's appender from the same file, interleaved, best of {Rounds}"));
        context.Report.Add(new Measurement(MemoryScenario.Group, "peak working set, initial sync from a file", rows, "MB",
            peak / 1048576.0, before / 1048576.0, "MB before", Note: $"+{(peak - before) / 1048576.0:0} MB during the copy, in-memory mirror, highest of {Rounds}"));

        Loaders(context, file, rows);
        Parts(context, file, rows);
    }

    /// <summary>The events table of <see cref="SyncScenario.EventRows"/>, written by SQLite itself (faster than binding).</summary>
    internal static void Fill(string file, long rows)
    {
        using var sqlite = Connections.OpenRawSqlite(file);
        Connections.Execute(sqlite, WriteWorkload.EventsDdl);
        Connections.Execute(sqlite,
            $"WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < {rows}) "
            + "INSERT INTO events SELECT k, k % 1000, (k % 10000) / 100.0, 'payment ' || k, '2024-01-01 12:00:00' FROM n");
    }

    /// <summary>
    /// The first open of the data source (which loads every registered table into a new in-memory mirror), then
    /// InitialSyncAsync reloading the table: the rates of both, and the memory and CPU of the reload.
    /// </summary>
    private static async Task<(double Rate, double OpenRate, long Before, long Peak, double CpuSeconds)> EndToEndAsync(string file, long rows)
    {
        GC.Collect();
        using var connection = new RheiConnection($"Data Source={file};Olap=DuckDb;Sync Interval=0");
        var opening = Stopwatch.StartNew();
        await connection.OpenAsync().ConfigureAwait(false);
        var openSeconds = opening.Elapsed.TotalSeconds;
        if (connection.Engine.Replication!.IsReplicated("events"))
        {
            using var count = new RheiCommand("SELECT count(*) FROM events", connection) { Route = RheiRoute.Olap };
            var loaded = Convert.ToInt64(await count.ExecuteScalarAsync().ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            if (loaded != rows)
            {
                throw new InvalidOperationException($"The mirror held {loaded} of {rows} rows after open.");
            }
        }

        GC.Collect();
        using var sampler = new WorkingSetSampler();
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var copied = await connection.InitialSyncAsync("events").ConfigureAwait(false);
        var seconds = watch.Elapsed.TotalSeconds;
        process.Refresh();
        var result = (copied / seconds, rows / openSeconds, sampler.Before, sampler.Peak, (process.TotalProcessorTime - cpu).TotalSeconds);
        RheiConnection.ClearPool(connection);
        return result;
    }

    private static void HandWrittenCopy(string file, DuckDBConnection duckDb)
    {
        using var sqlite = new SqliteConnection($"Data Source={file}");
        sqlite.Open();
        using var command = new SqliteCommand(Select, sqlite);
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

    /// <summary>The loader itself on each of its paths, over the same file and mirror, interleaved.</summary>
    private static void Loaders(ScenarioContext context, string file, long rows)
    {
        var schema = EventsSchema;
        int[] readers = [0, 1, MirrorParallelLoader.ReaderCount];
        var best = new double[readers.Length];
        using var database = DuckDbDatabase.Open(null);
        using var session = database.Connect();
        for (var round = 0; round < Rounds; round++)
        {
            for (var i = 0; i < readers.Length; i++)
            {
                MirrorDdl.Create(session, schema, RheiSyncMode.Destructive);
                using var holder = OpenHolder(file, out var transaction);
                session.Execute("BEGIN TRANSACTION");
                var count = readers[i];
                var seconds = Timing.Time(() => MirrorLoader.Load(session, holder, transaction, schema, RheiSyncMode.Destructive, count, null, CancellationToken.None)).TotalSeconds;
                session.Execute("COMMIT");
                transaction.Dispose();
                best[i] = Math.Max(best[i], rows / seconds);
            }
        }

        Add(context, "  loader: one reader on the snapshot's connection", rows, best[0], best[0], "round two's path: cells, one mutex per cell");
        Add(context, "  loader: one mutex-free snapshot reader", rows, best[1], best[0], "rowid blocks on a NOMUTEX connection of the same snapshot");
        Add(context, $"  loader: {readers[2]} snapshot readers", rows, best[2], best[0], "the shipped path (one reader per processor)");
    }

    /// <summary>The reading thread's parts, one thread each: on the holder through cells, on a mutex-free reader through getters.</summary>
    private static void Parts(ScenarioContext context, string file, long rows)
    {
        MirrorType[] types = [MirrorType.Integer, MirrorType.Integer, MirrorType.Real, MirrorType.Text, MirrorType.Text];
        double step = 0, cells = 0, getters = 0, fillCells = 0, fillGetters = 0;
        using var holder = OpenHolder(file, out var transaction);
        using var snapshot = SqliteSnapshotReaders.TryOpen(holder, 1) ?? throw new InvalidOperationException("The benchmark's file is in WAL mode.");
        for (var round = 0; round < Rounds; round++)
        {
            using (var reader = new SqliteRowReader(holder, Select))
            {
                step = Math.Max(step, rows / Timing.Time(() => Scan(reader, readColumns: false)).TotalSeconds);
            }

            using (var reader = new SqliteRowReader(holder, Select))
            {
                cells = Math.Max(cells, rows / Timing.Time(() => Scan(reader, readColumns: true)).TotalSeconds);
            }

            using (var reader = new SqliteRowReader(snapshot.Connections[0], Select, mutexFree: true))
            {
                getters = Math.Max(getters, rows / Timing.Time(() => Scan(reader, readColumns: true)).TotalSeconds);
            }

            using (var reader = new SqliteRowReader(holder, Select))
            {
                fillCells = Math.Max(fillCells, rows / Timing.Time(() => Fill(reader, types)).TotalSeconds);
            }

            using (var reader = new SqliteRowReader(snapshot.Connections[0], Select, mutexFree: true))
            {
                fillGetters = Math.Max(fillGetters, rows / Timing.Time(() => Fill(reader, types)).TotalSeconds);
            }
        }

        transaction.Dispose();
        Add(context, "  file part: SQLite step alone", rows, step, null, "sqlite3_step per row on the holder");
        Add(context, "  file part: step + reads, cells (round two)", rows, cells, null, "sqlite3_column_value (the connection's mutex) + sqlite3_value_* per cell");
        Add(context, "  file part: step + reads, mutex-free getters", rows, getters, cells, "NOMUTEX snapshot reader: sqlite3_column_type + one typed getter per cell");
        Add(context, "  file part: step + reads + chunk fill, cells (round two)", rows, fillCells, null, "values into DuckDB data chunks on the holder");
        Add(context, "  file part: step + reads + chunk fill, mutex-free", rows, fillGetters, fillCells, "the same on a NOMUTEX snapshot reader");
    }

    private static SqliteConnection OpenHolder(string file, out SqliteTransaction transaction)
    {
        var holder = new SqliteConnection($"Data Source={file}");
        holder.Open();
        transaction = holder.BeginTransaction(deferred: true);
        using var command = holder.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT count(*) FROM sqlite_schema";
        command.ExecuteScalar();
        return holder;
    }

    private static void Scan(SqliteRowReader reader, bool readColumns)
    {
        long sum = 0;
        while (reader.Read())
        {
            if (!readColumns)
            {
                continue;
            }

            for (var i = 0; i < 5; i++)
            {
                if (reader.MutexFree)
                {
                    sum += reader.StorageClass(i) switch
                    {
                        raw.SQLITE_INTEGER => reader.GetInt64(i),
                        raw.SQLITE_FLOAT => (long)reader.GetDouble(i),
                        raw.SQLITE_TEXT => reader.GetUtf8(i).Length,
                        _ => 0,
                    };
                    continue;
                }

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

    private static void Fill(SqliteRowReader reader, MirrorType[] types)
    {
        using var batch = new MirrorLoadBatch(types, validFrom: null);
        while (reader.Read())
        {
            if (!batch.TryAdd(reader, out _))
            {
                throw new InvalidOperationException("The benchmark's rows fit their columns.");
            }

            if (batch.IsFull)
            {
                batch.Clear();
            }
        }
    }

    private static void Add(ScenarioContext context, string scenario, long rows, double rate, double? baseline, string note)
        => context.Report.Add(new Measurement(SyncScenario.Group, scenario, rows, "rows/s", rate,
            baseline, baseline is null ? null : "round two rows/s", baseline is null ? null : rate / baseline.Value,
            Note: note + $", best of {Rounds}"));
}
