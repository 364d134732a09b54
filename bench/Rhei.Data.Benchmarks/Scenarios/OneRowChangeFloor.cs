using DuckDB.NET.Data;
using Rhei.Data.Benchmarks.Harness;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>
/// The least DuckDB itself takes to make one changed row visible, measured through DuckDB.NET.Data with no Rhei in
/// between: on an in-memory table shaped like the freshness benchmark's (10 rows), BEGIN, DELETE of the row's key by an
/// IN list, the new row through an appender, COMMIT — the statements the mirror issues for a one-row batch. A Strong
/// read right after a write cannot wait less than this for its catch-up, so it is the baseline its extra latency is
/// judged against.
/// </summary>
internal static class OneRowChangeFloor
{
    /// <summary>The p50 in milliseconds of <paramref name="samples"/> one-row change transactions.</summary>
    public static double Measure(int samples)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE events (id BIGINT, account BIGINT, amount DOUBLE, note VARCHAR, created VARCHAR); "
            + "INSERT INTO events SELECT i, i % 1000, i / 100.0, 'payment ' || i, '2024-01-01 12:00:00' FROM range(1, 11) r(i)";
        command.ExecuteNonQuery();
        var times = new List<double>(samples);
        for (var i = 0; i < samples + 10; i++)
        {
            var elapsed = Timing.Time(() =>
            {
                Execute(command, "BEGIN TRANSACTION");
                Execute(command, "DELETE FROM events WHERE id IN (1)");
                using (var appender = connection.CreateAppender("events"))
                {
                    appender.CreateRow().AppendValue(1L).AppendValue(1L).AppendValue(i + 0.5).AppendValue("payment 1").AppendValue("2024-01-01 12:00:00").EndRow();
                }

                Execute(command, "COMMIT");
            });

            // The first few pay for DuckDB's first statements on the table.
            if (i >= 10)
            {
                times.Add(elapsed.TotalMilliseconds);
            }
        }

        return Timing.Percentile(times, 0.5);
    }

    private static void Execute(DuckDBCommand command, string sql)
    {
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
