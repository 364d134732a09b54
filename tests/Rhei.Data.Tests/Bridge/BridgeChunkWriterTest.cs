using Microsoft.Data.Sqlite;
using RocksDbSharp;
using Rhei.Data.Bridge;
using Rhei.Data.ChangeFeed;

namespace Rhei.Data.Tests.Bridge;

/// <summary>
/// The bridge's records, encoded straight from SQLite's cells (and, in temporal mode, from the logged JSON), hold exactly
/// what the value-by-value read of the same log gives: the row as of the read for each destructive event (none for a
/// row deleted before bridging, the same current row for a key logged twice, TEXT and composite keys, several tables in
/// one chunk), the logged version with NULLs, blobs, escapes and extreme numbers in temporal mode.
/// </summary>
public sealed class BridgeChunkWriterTest
{
    [Fact]
    public async Task Destructive_records_equal_the_value_by_value_encoding_byte_for_byte()
    {
        await using var db = TestDatabase.Create("Sync Interval=0");
        db.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score REAL, data BLOB, note TEXT)");
        db.Execute("CREATE TABLE s (code TEXT PRIMARY KEY, v INTEGER)");
        db.Execute("CREATE TABLE m (a INTEGER NOT NULL, b TEXT NOT NULL, w REAL, PRIMARY KEY (a, b)) WITHOUT ROWID");
        for (var i = 1; i <= 20; i++)
        {
            db.Execute($"INSERT INTO t VALUES ({i}, 'näme {i}', {i}.25, x'00ff{i:x2}', NULL)");
            db.Execute($"INSERT INTO s VALUES ('code-{i}', {i * 1000})");
            db.Execute($"INSERT INTO m VALUES ({i}, 'k{i}', {i}.5)");
        }

        // A key logged twice in the chunk, a row deleted before bridging, a row deleted and inserted again, an empty blob.
        db.Execute("UPDATE t SET name = 'first' WHERE id = 3");
        db.Execute("UPDATE t SET name = 'second', data = x'' WHERE id = 3");
        db.Execute("DELETE FROM t WHERE id = 5");
        db.Execute("DELETE FROM s WHERE code = 'code-7'");
        db.Execute("INSERT INTO s VALUES ('code-7', -1)");
        db.Execute("DELETE FROM m WHERE a = 2 AND b = 'k2'");
        db.Execute("UPDATE s SET v = 9223372036854775807 WHERE code = 'code-1'");

        var (expected, records) = ReadBoth(db.Path, RheiSyncMode.Destructive);

        Assert.Equal(expected.Count, records.Count);
        Assert.True(expected.Count >= 67, $"only {expected.Count} events were logged");
        var buffer = new BridgeRecordBuffer();
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Sequence, records[i].Sequence);
            var reference = BridgeEventCodec.Encode(expected[i], buffer).ToArray();
            // Destructive capture logs no time: each read stamps the time it read the log, the chunk writer's read coming second.
            Assert.Equal(reference[8..], records[i].Bytes[8..]);
            Assert.InRange(BitConverter.ToInt64(records[i].Bytes, 0) - expected[i].CommitTimeMs, 0, 600_000);
        }

        var decoded = records.Select(r => BridgeEventCodec.Decode(r.Sequence, r.Bytes, new BridgeNameCache())).ToList();
        var twice = decoded.Where(e => e.Table == "t" && (long)e.Key[0]! == 3).ToList();
        Assert.Equal(3, twice.Count);
        Assert.All(twice, e => Assert.Equal("second", e.Values![1]));
        Assert.All(twice, e => Assert.Equal(Array.Empty<byte>(), e.Values![3]));
        Assert.All(decoded.Where(e => e.Table == "t" && (long)e.Key[0]! == 5), e => Assert.Null(e.Values));
        Assert.All(decoded.Where(e => e.Table == "s" && (string)e.Key[0]! == "code-7"), e => Assert.Equal(-1L, e.Values![1]));
        Assert.Equal(9223372036854775807L, decoded.Last(e => e.Table == "s" && (string)e.Key[0]! == "code-1").Values![1]);
        Assert.All(decoded.Where(e => e.Table == "m" && (long)e.Key[0]! == 2), e => Assert.Null(e.Values));
        Assert.Equal(new object?[] { 20L, "k20", 20.5 }, decoded.Last(e => e.Table == "m" && (long)e.Key[0]! == 20).Values);
    }

    [Fact]
    public async Task Temporal_records_hold_the_logged_version_with_nulls_blobs_escapes_and_extreme_numbers()
    {
        await using var db = TestDatabase.Create("Sync Interval=0;Sync Mode=Temporal");
        db.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score REAL, data BLOB, note)");
        db.Execute("CREATE TABLE s (code TEXT PRIMARY KEY, v INTEGER)");
        db.Execute("INSERT INTO t VALUES (1, 'quote \" back \\ tab \t newline \n end', 1e308, x'00ff10', NULL)");
        db.Execute("INSERT INTO t VALUES (2, 'ünïcödé 😀 ' || char(1) || char(31), -0.5, x'', 9223372036854775807)");
        db.Execute("INSERT INTO t VALUES (3, NULL, NULL, NULL, -9223372036854775808)");
        db.Execute("INSERT INTO s VALUES ('a', 1)");
        db.Execute("INSERT INTO t VALUES (4, '', 2.0, randomblob(300), 'text in an untyped column')");
        db.Execute("UPDATE t SET name = 'v2', note = 1.5 WHERE id = 1");
        db.Execute("UPDATE t SET name = 'v3' WHERE id = 1");
        db.Execute("DELETE FROM t WHERE id = 2");
        db.Execute("UPDATE s SET v = NULL WHERE code = 'a'");

        var (expected, records) = ReadBoth(db.Path, RheiSyncMode.Temporal);

        Assert.Equal(9, expected.Count);
        Assert.Equal(expected.Count, records.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            var got = BridgeEventCodec.Decode(records[i].Sequence, records[i].Bytes, new BridgeNameCache());
            Assert.Equal(e.Sequence, got.Sequence);
            Assert.Equal(e.CommitTimeMs, got.CommitTimeMs);
            Assert.Equal(e.Table, got.Table);
            Assert.Equal(e.Operation, got.Operation);
            Assert.Equal(e.Key, got.Key);
            if (e.Values is null)
            {
                Assert.Null(got.Values);
                continue;
            }

            Assert.Equal(e.Columns, got.Columns);
            Assert.Equal(e.Values, got.Values);
        }

        var first = BridgeEventCodec.Decode(records[0].Sequence, records[0].Bytes, new BridgeNameCache());
        Assert.Equal(new object?[] { 1L, "quote \" back \\ tab \t newline \n end", 1e308, new byte[] { 0, 255, 16 }, null }, first.Values);
    }

    /// <summary>The log read value by value (the change feed's reader) and the chunk writer's records, from one SQLite file.</summary>
    private static (List<CapturedEvent> Expected, List<(long Sequence, byte[] Bytes)> Records) ReadBoth(string path, RheiSyncMode mode)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        var expected = CapturedEventReader.Read(connection, 0, 10_000, new ChangeTableSchemas(connection, _ => null).Of, mode).Events;

        var directory = Path.Combine(Path.GetTempPath(), "rhei-chunk-writer-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var records = new List<(long, byte[])>();
            using (var rocks = RocksDb.Open(new DbOptions().SetCreateIfMissing(true), directory))
            {
                using (var batch = new WriteBatch())
                {
                    var chunk = new BridgeChunkWriter(connection, new ChangeTableSchemas(connection, _ => null).Of, mode).Write(0, 10_000, batch);
                    Assert.Equal(expected.Count, chunk.Count);
                    Assert.Equal(expected[0].Sequence, chunk.FirstSequence);
                    Assert.Equal(expected[^1].Sequence, chunk.LastSequence);
                    rocks.Write(batch);
                }

                using var iterator = rocks.NewIterator();
                for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next())
                {
                    records.Add((BridgeEventCodec.Sequence(iterator.Key()), iterator.Value()));
                }
            }

            return (expected, records);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
