using System.Data.Common;
using System.Diagnostics;
using Apache.Arrow;
using DuckDB.NET.Data;
using Microsoft.Data.Sqlite;
using Rhei.Data.Benchmarks.Data;
using Rhei.Data.Benchmarks.Harness;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>
/// Reading a wide result on the DuckDB route (issue 10): 5 columns × N rows read three ways in interleaved
/// rounds — Rhei's Arrow stream (DuckDB's own export through the C data interface), the same command through
/// <see cref="RheiDataReader"/> with typed getters, and DuckDB.NET.Data's reader on its own connection holding
/// the same rows. Every side touches every value, so the figures compare whole reads, not lazy ones.
/// </summary>
internal static class ArrowScenario
{
    public const string Group = "arrow";

    private const string Query = "SELECT id, qty, price, name, code FROM wide";

    public static async Task RunAsync(ScenarioContext context)
    {
        var rows = context.Sizes([1_000_000], [1_000_000])[0];
        using var directory = context.NewDirectory("arrow");
        var file = directory.File("arrow.db");
        await using var rhei = Connections.OpenRhei(file);
        Connections.Execute(rhei, "CREATE TABLE wide(id INTEGER PRIMARY KEY, qty INTEGER, price REAL, name TEXT, code TEXT)");
        using (var transaction = rhei.BeginTransaction())
        using (var insert = rhei.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO wide VALUES (@id, @qty, @price, @name, @code)";
            var id = Connections.AddParameter(insert, "@id");
            var qty = Connections.AddParameter(insert, "@qty");
            var price = Connections.AddParameter(insert, "@price");
            var name = Connections.AddParameter(insert, "@name");
            var code = Connections.AddParameter(insert, "@code");
            for (long i = 1; i <= rows; i++)
            {
                id.Value = i;
                qty.Value = i % 97;
                price.Value = (i % 1_000) * 0.25;
                name.Value = Name(i);
                code.Value = i % 5 == 0 ? DBNull.Value : "C" + (i % 31);
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        await rhei.SyncAsync().ConfigureAwait(false);

        using var duckDb = DuckDbNetLoader.OpenInMemory();
        Connections.Execute(duckDb, "CREATE TABLE wide(id BIGINT PRIMARY KEY, qty BIGINT, price DOUBLE, name VARCHAR, code VARCHAR)");
        DuckDbNetLoader.Append(duckDb, "wide", WideRows(rows));

        using var command = new RheiCommand(Query, rhei) { Route = RheiRoute.Olap };
        using var peer = new DuckDBCommand(Query, duckDb);
        double arrowMs = double.MaxValue, readerMs = double.MaxValue, peerMs = double.MaxValue;
        long expected = -1;
        for (var round = 0; round < (context.Quick ? 4 : 6); round++)
        {
            // Round 0 warms all three up and is not kept; the checksums must agree every round.
            var (arrow, arrowSum) = Time(() => ReadArrow(command));
            var (reader, readerSum) = Time(() => ReadAll(command.ExecuteReader()));
            var (duck, duckSum) = Time(() => ReadAll(peer.ExecuteReader()));
            if (arrowSum != readerSum || readerSum != duckSum || (expected >= 0 && arrowSum != expected))
            {
                throw new InvalidOperationException($"The three reads disagree: arrow {arrowSum}, reader {readerSum}, DuckDB.NET {duckSum}.");
            }

            expected = arrowSum;
            if (round > 0)
            {
                arrowMs = Math.Min(arrowMs, arrow);
                readerMs = Math.Min(readerMs, reader);
                peerMs = Math.Min(peerMs, duck);
            }
        }

        double RowsPerSecond(double ms) => rows / (ms / 1_000);
        context.Report.Add(new Measurement(Group, "Arrow stream vs RheiDataReader (DuckDB route, 5 columns)", rows, "rows/s",
            RowsPerSecond(arrowMs), RowsPerSecond(readerMs), "RheiDataReader rows/s", readerMs / arrowMs, Target.Min(3.0),
            $"best of {(context.Quick ? 3 : 5)} interleaved rounds: Arrow {arrowMs:0.0} ms, reader {readerMs:0.0} ms"));
        context.Report.Add(new Measurement(Group, "Arrow stream vs DuckDB.NET.Data reader", rows, "rows/s",
            RowsPerSecond(arrowMs), RowsPerSecond(peerMs), "DuckDB.NET.Data rows/s", peerMs / arrowMs,
            Note: $"DuckDB.NET.Data reader {peerMs:0.0} ms; Rhei's reader ÷ DuckDB.NET.Data {peerMs / readerMs:0.00}"));
    }

    private static string Name(long i) => "name-" + (i % 10_007);

    private static IEnumerable<object[]> WideRows(long rows)
    {
        for (long i = 1; i <= rows; i++)
        {
            yield return [i, i % 97, (i % 1_000) * 0.25, Name(i), i % 5 == 0 ? DBNull.Value : "C" + (i % 31)];
        }
    }

    private static (double Ms, long Checksum) Time(Func<long> read)
    {
        var watch = Stopwatch.StartNew();
        var checksum = read();
        return (watch.Elapsed.TotalMilliseconds, checksum);
    }

    /// <summary>Sums the integers and string lengths and counts the NULLs, so every value is touched.</summary>
    private static long ReadAll(DbDataReader reader)
    {
        using (reader)
        {
            long checksum = 0;
            while (reader.Read())
            {
                checksum += reader.GetInt64(0) + reader.GetInt64(1) + (long)reader.GetDouble(2) + reader.GetString(3).Length;
                checksum += reader.IsDBNull(4) ? 1 : reader.GetString(4).Length;
            }

            return checksum;
        }
    }

    private static long ReadArrow(RheiCommand command)
    {
        using var stream = command.ExecuteArrowReader();
        long checksum = 0;
        while (stream.ReadNextRecordBatchAsync().AsTask().GetAwaiter().GetResult() is { } batch)
        {
            using (batch)
            {
                // Read the way an Arrow consumer does: straight from the value and offset buffers.
                var ids = ((Int64Array)batch.Column(0)).Values;
                var quantities = ((Int64Array)batch.Column(1)).Values;
                var prices = ((DoubleArray)batch.Column(2)).Values;
                var nameOffsets = ((StringArray)batch.Column(3)).ValueOffsets;
                var code = (StringArray)batch.Column(4);
                var codeOffsets = code.ValueOffsets;
                for (var i = 0; i < batch.Length; i++)
                {
                    checksum += ids[i] + quantities[i] + (long)prices[i] + nameOffsets[i + 1] - nameOffsets[i];
                    checksum += code.IsNull(i) ? 1 : codeOffsets[i + 1] - codeOffsets[i];
                }
            }
        }

        return checksum;
    }
}
