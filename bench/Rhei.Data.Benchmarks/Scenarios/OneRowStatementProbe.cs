using System.Diagnostics;
using Rhei.Data.Olap;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>
/// Issue 12 probe, not part of the default run (`--only onerow-statements`): what each DuckDB statement of a one-row
/// destructive apply costs through Rhei's own session (BEGIN, DELETE by literal or cached prepared key, one-row appender,
/// cached or fresh prepared INSERT, COMMIT), p50 of 300, and whether a DELETE prepared on an empty table still deletes
/// after the table grew (a cached plan going stale, see DuckDbChangeTracker).
/// </summary>
internal static class OneRowStatementProbe
{
    public const string Group = "onerow-statements";

    public static void Run()
    {
        var config = new Dictionary<string, string>(DuckDbDatabase.SqliteSemantics, StringComparer.Ordinal);
        using var db = DuckDbDatabase.Open(null, config);
        using var s = db.Connect();
        // Stale plan check: prepare on an empty table, then grow it.
        s.Execute("CREATE TABLE e0 (id BIGINT, v VARCHAR)");
        using (var d0 = s.Prepare("DELETE FROM e0 WHERE id = $1"))
        using (var i0 = s.Prepare("INSERT INTO e0 VALUES ($1, $2)"))
        {
            for (long k = 1; k <= 3000; k++) { i0.Bind(1, k); i0.Bind(2, "x"); i0.ExecuteNonQuery(); }
            d0.Bind(1, 5L); var n1 = d0.ExecuteNonQuery();
            s.Execute("INSERT INTO e0 SELECT i, 'y' FROM range(100000, 200000) r(i)");
            d0.Bind(1, 150000L); var n2 = d0.ExecuteNonQuery();
            d0.Bind(1, 2999L); var n3 = d0.ExecuteNonQuery();
            using var c = s.Query("SELECT count(*) FROM e0"); c.Read();
            Console.WriteLine($"  stale-plan check: deleted {n1},{n2},{n3}, rows {c.GetInt64(0)} (expect 1,1,1, 102997)");
        }

        s.Execute("CREATE TABLE events (id BIGINT, account BIGINT, amount DOUBLE, note VARCHAR, created VARCHAR); "
            + "INSERT INTO events SELECT i, i % 1000, i / 100.0, 'payment ' || i, '2024-01-01 12:00:00' FROM range(1, 11) r(i)");
        using var del = s.Prepare("DELETE FROM events WHERE id = $1");
        using var delIn = s.Prepare("DELETE FROM events WHERE id IN ($1)");
        using var ins = s.Prepare("INSERT INTO events VALUES ($1, $2, $3, $4, $5)");
        var parts = new (string Name, Action<int> Body)[]
        {
            ("delete literal IN (1)", i => s.Execute("DELETE FROM events WHERE id IN (1)")),
            ("delete cached = $1", i => { del.Bind(1, 1L); del.ExecuteNonQuery(); }),
            ("delete cached IN ($1)", i => { delIn.Bind(1, 1L); delIn.ExecuteNonQuery(); }),
            ("delete fresh-prepared = $1", i => { using var p = s.Prepare("DELETE FROM events WHERE id = $1"); p.Bind(1, 1L); p.ExecuteNonQuery(); }),
            ("appender one row", i => { using var a = s.CreateAppender("events"); a.Append(1L); a.Append(1L); a.Append(i + 0.5); a.Append("payment 1"); a.Append("2024-01-01 12:00:00"); a.EndRow(); a.Close(); }),
            ("insert cached", i => { ins.Bind(1, 1L); ins.Bind(2, 1L); ins.Bind(3, i + 0.5); ins.Bind(4, "payment 1"); ins.Bind(5, "2024-01-01 12:00:00"); ins.ExecuteNonQuery(); }),
            ("insert fresh-prepared", i => { using var p = s.Prepare("INSERT INTO events VALUES ($1, $2, $3, $4, $5)"); p.Bind(1, 1L); p.Bind(2, 1L); p.Bind(3, i + 0.5); p.Bind(4, "payment 1"); p.Bind(5, "2024-01-01 12:00:00"); p.ExecuteNonQuery(); }),
            ("insert literal", i => s.Execute($"INSERT INTO events VALUES (1, 1, {i + 0.5}, 'payment 1', '2024-01-01 12:00:00')")),
            ("nothing (begin..commit only)", i => { }),
        };
        for (var round = 0; round < 2; round++)
        foreach (var (name, body) in parts)
        {
            var t = new List<double>(); var c = new List<double>(); var b = new List<double>();
            for (var i = 0; i < 310; i++)
            {
                var sw = Stopwatch.StartNew();
                s.Execute("BEGIN TRANSACTION");
                var t0 = sw.Elapsed.TotalMicroseconds;
                body(i);
                var t1 = sw.Elapsed.TotalMicroseconds;
                s.Execute("COMMIT");
                var t2 = sw.Elapsed.TotalMicroseconds;
                if (i >= 10) { b.Add(t0); t.Add(t1 - t0); c.Add(t2 - t1); }
                if (i % 3 == 0) Thread.Sleep(1);
            }
            t.Sort(); c.Sort(); b.Sort();
            Console.WriteLine($"  {name}: p50 {t[t.Count / 2]:0} µs; begin {b[b.Count / 2]:0}, commit {c[c.Count / 2]:0}");
        }

        Autocommit(s, "events", 1);
        s.Execute("CREATE TABLE big (id BIGINT, account BIGINT, amount DOUBLE, note VARCHAR, created VARCHAR); "
            + "INSERT INTO big SELECT i, i % 1000, i / 100.0, 'payment ' || i, '2024-01-01 12:00:00' FROM range(1, 1000001) r(i)");
        Autocommit(s, "big", 999_000);
        s.Execute("SET threads = 1");
        Console.WriteLine("  threads = 1:");
        Autocommit(s, "events", 1);
        Autocommit(s, "big", 999_000);
    }

    /// <summary>
    /// A one-row change as one autocommit statement (an UPDATE of every column by key) against the transaction the
    /// mirror runs (BEGIN, DELETE, INSERT, COMMIT), on <paramref name="table"/> at key <paramref name="key"/>: whether a
    /// cached prepared UPDATE still prunes by the key's zone maps on a large table.
    /// </summary>
    private static void Autocommit(DuckDbSession s, string table, long key)
    {
        using var update = s.Prepare($"UPDATE {table} SET account = $2, amount = $3, note = $4, created = $5 WHERE id = $1");
        using var insert = s.Prepare($"INSERT INTO {table} VALUES ($1, $2, $3, $4, $5)");
        var parts = new (string Name, Action<int> Body)[]
        {
            ("transaction: begin, delete literal, insert cached, commit", i =>
            {
                s.Execute("BEGIN TRANSACTION");
                s.Execute($"DELETE FROM {table} WHERE id IN ({key})");
                insert.Bind(1, key); insert.Bind(2, 1L); insert.Bind(3, i + 0.5); insert.Bind(4, "payment 1"); insert.Bind(5, "2024-01-01 12:00:00"); insert.ExecuteNonQuery();
                s.Execute("COMMIT");
            }),
            ("autocommit update cached", i => { update.Bind(1, key); update.Bind(2, 1L); update.Bind(3, i + 0.5); update.Bind(4, "payment 1"); update.Bind(5, "2024-01-01 12:00:00"); update.ExecuteNonQuery(); }),
            ("autocommit update literal", i => s.Execute($"UPDATE {table} SET account = 1, amount = {i + 0.5}, note = 'payment 1', created = '2024-01-01 12:00:00' WHERE id = {key}")),
            ("transaction: begin, update cached, commit", i =>
            {
                s.Execute("BEGIN TRANSACTION");
                update.Bind(1, key); update.Bind(2, 1L); update.Bind(3, i + 0.5); update.Bind(4, "payment 1"); update.Bind(5, "2024-01-01 12:00:00"); update.ExecuteNonQuery();
                s.Execute("COMMIT");
            }),
        };
        // What a Strong read pays after the change: the same aggregate right after an UPDATE, and after nothing.
        var readAfter = new List<double>();
        var readAlone = new List<double>();
        for (var i = 0; i < 310; i++)
        {
            update.Bind(1, key); update.Bind(2, 1L); update.Bind(3, i + 0.5); update.Bind(4, "payment 1"); update.Bind(5, "2024-01-01 12:00:00"); update.ExecuteNonQuery();
            var sw = Stopwatch.StartNew();
            using (var r = s.Query($"SELECT count(*), sum(amount) FROM {table}")) { r.Read(); }
            readAfter.Add(sw.Elapsed.TotalMicroseconds);
            Thread.Sleep(1);
            sw.Restart();
            using (var r = s.Query($"SELECT count(*), sum(amount) FROM {table}")) { r.Read(); }
            readAlone.Add(sw.Elapsed.TotalMicroseconds);
            Thread.Sleep(1);
        }

        readAfter.Sort(); readAlone.Sort();
        Console.WriteLine($"  {table}: aggregate right after an update p50 {readAfter[155]:0} µs, after nothing {readAlone[155]:0} µs");
        for (var round = 0; round < 2; round++)
        foreach (var (name, body) in parts)
        {
            var t = new List<double>();
            for (var i = 0; i < 310; i++)
            {
                var sw = Stopwatch.StartNew();
                body(i);
                if (i >= 10) { t.Add(sw.Elapsed.TotalMicroseconds); }
                if (i % 3 == 0) Thread.Sleep(1);
            }

            t.Sort();
            Console.WriteLine($"  {table}: {name}: p50 {t[t.Count / 2]:0} µs");
        }
    }
}
