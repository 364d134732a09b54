using Microsoft.Data.Sqlite;
using RocksDbSharp;
using Rhei.Data.Benchmarks.Harness;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>
/// What one change event costs on disk: the bridge directory's SST files after a flush and a full compaction, divided by the
/// events it holds, and for comparison the pages <c>_rhei_cdc_log</c> takes in SQLite for the same events, in
/// destructive and temporal mode, for a six-column row. The table's own pages are the baseline: what one row costs anyway.
/// </summary>
internal static class BridgeSizeProbe
{
    public static async Task RunAsync(ScenarioContext context, string group, long rows)
    {
        foreach (var mode in new[] { "Destructive", "Temporal" })
        {
            using var directory = context.NewDirectory("bridge-size");
            var bridgePath = Directory.CreateDirectory(directory.File("bridge")).FullName;
            var file = directory.File("rhei.db");
            long logBytes, tableBytes;
            using (var dataSource = BridgeWorkload.OpenDataSource(file, bridgePath, $"Sync Interval=0;Sync Mode={mode}"))
            {
                using (var connection = dataSource.OpenConnection())
                {
                    BridgeWorkload.InsertBatched(connection, 1, rows);
                }

                (logBytes, tableBytes) = SqliteBytes(file);
                var engine = await dataSource.GetEngineAsync(CancellationToken.None).ConfigureAwait(false);
                var moved = engine.Replication!.Bridge!.BridgeThrough(long.MaxValue, dataSource.Options.SyncBatchSize);
                if (moved != rows)
                {
                    throw new InvalidOperationException($"The bridge moved {moved} events of {rows}.");
                }
            }

            RheiConnection.ClearAllPools();
            var (sstBytes, totalBytes) = CompactedBytes(bridgePath);
            var load = BridgeWorkload.LoadAverage();
            context.Report.Add(new Measurement(group, $"bridge log bytes per event ({mode}, 6 columns)", rows, "bytes", (double)sstBytes / rows, (double)tableBytes / rows, "SQLite table row",
                (double)sstBytes / tableBytes, Note: $"RocksDB SST after flush + full compaction; whole directory {(double)totalBytes / rows:0.0} B/event; {load}"));
            context.Report.Add(new Measurement(group, $"_rhei_cdc_log bytes per event ({mode}, 6 columns)", rows, "bytes", (double)logBytes / rows, (double)tableBytes / rows, "SQLite table row",
                (double)logBytes / tableBytes, Note: $"pages the log table frees when dropped from a vacuumed copy; {load}"));
        }
    }

    /// <summary>
    /// Bytes of the change log and of the captured table, as the pages each frees when dropped from a vacuumed copy of the
    /// file (the bundled SQLite has no dbstat): both are packed as tightly as SQLite packs them, like the compacted bridge.
    /// </summary>
    private static (long Log, long Table) SqliteBytes(string file)
    {
        var copy = file + ".sizes";
        using (var source = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            source.Open();
            Execute(source, $"VACUUM INTO '{copy.Replace("'", "''", StringComparison.Ordinal)}'");
        }

        using var connection = new SqliteConnection($"Data Source={copy};Pooling=False");
        connection.Open();
        var pageSize = Scalar(connection, "PRAGMA page_size");
        var free = Scalar(connection, "PRAGMA freelist_count");
        Execute(connection, "DROP TABLE _rhei_cdc_log");
        var afterLog = Scalar(connection, "PRAGMA freelist_count");
        Execute(connection, "DROP TABLE orders");
        var afterTable = Scalar(connection, "PRAGMA freelist_count");
        return ((afterLog - free) * pageSize, (afterTable - afterLog) * pageSize);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Flushes and fully compacts the closed bridge directory, then measures its SST files and everything in it.</summary>
    private static (long Sst, long Total) CompactedBytes(string bridgePath)
    {
        using (var db = RocksDb.Open(new DbOptions(), bridgePath))
        {
            db.Flush(new FlushOptions().SetWaitForFlush(true));
            db.CompactRange(Array.Empty<byte>(), null);
        }

        return (BridgeWorkload.DirectoryBytes(bridgePath, "*.sst"), BridgeWorkload.DirectoryBytes(bridgePath));
    }
}
