using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Rhei.Data.Benchmarks.Data;
using Rhei.Data.Benchmarks.Harness;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>
/// What each part of change capture costs a writer (issue 12, round four): the write workload on raw
/// Microsoft.Data.Sqlite against the same table with the capture of round three, then one change at a time up to what
/// ships. Every variant runs interleaved with the uncaptured baseline, best of N, as rows/s and as CPU time.
/// </summary>
internal static class CaptureVariantScenario
{
    public const string Group = "capture-variants";

    private const string Log = "_rhei_cdc_log";

    // The log and triggers of round three, text for text, for table events (destructive mode).
    private static readonly string s_legacyLog = $"CREATE TABLE {Log} (seq INTEGER PRIMARY KEY AUTOINCREMENT, tbl TEXT NOT NULL, op TEXT NOT NULL, k0, k1, k2, k3, k4, k5, k6, k7, ts INTEGER, img TEXT)";

    private static readonly string s_plainNotNullLog = $"CREATE TABLE {Log} (seq INTEGER PRIMARY KEY, tbl TEXT NOT NULL, op TEXT NOT NULL, k0, k1, k2, k3, k4, k5, k6, k7, ts INTEGER, img TEXT)";

    private static readonly string s_plainLog = $"CREATE TABLE {Log} (seq INTEGER PRIMARY KEY, tbl TEXT, op TEXT, k0, k1, k2, k3, k4, k5, k6, k7, ts INTEGER, img TEXT)";

    private static readonly string[] s_legacyTriggers =
    [
        $"CREATE TRIGGER \"_rhei_cdc_events_ins\" AFTER INSERT ON \"events\" BEGIN INSERT INTO {Log} (tbl, op, k0) VALUES ('events', 'I', NEW.\"id\"); END",
        $"CREATE TRIGGER \"_rhei_cdc_events_upd\" AFTER UPDATE ON \"events\" BEGIN INSERT INTO {Log} (tbl, op, k0) SELECT 'events', 'D', OLD.\"id\" WHERE OLD.\"id\" IS NOT NEW.\"id\"; INSERT INTO {Log} (tbl, op, k0) VALUES ('events', 'U', NEW.\"id\"); END",
        $"CREATE TRIGGER \"_rhei_cdc_events_del\" AFTER DELETE ON \"events\" BEGIN INSERT INTO {Log} (tbl, op, k0) VALUES ('events', 'D', OLD.\"id\"); END",
    ];

    public static void Run(ScenarioContext context)
    {
        (string Name, string[]? Ddl)[] variants =
        [
            ("round three: AUTOINCREMENT log, NOT NULL, one update trigger", [s_legacyLog, .. s_legacyTriggers]),
            ("log without AUTOINCREMENT", [s_plainNotNullLog, .. s_legacyTriggers]),
            ("log without AUTOINCREMENT or NOT NULL", [s_plainLog, .. s_legacyTriggers]),
            ("as shipped (+ update split by UPDATE OF the key)", null),
        ];
        var repeats = context.Quick ? 2 : 3;
        foreach (var rows in context.Sizes([10_000], [100_000]))
        {
            var raw = new Best();
            var best = variants.Select(_ => new Best()).ToArray();
            for (var round = 0; round < repeats; round++)
            {
                raw.Keep(RunOne(context, rows, ddl: []));
                for (var v = 0; v < variants.Length; v++)
                {
                    best[v].Keep(RunOne(context, rows, variants[v].Ddl));
                }
            }

            for (var v = 0; v < variants.Length; v++)
            {
                string[] ops = ["INSERT", "UPDATE by key", "DELETE by key"];
                for (var op = 0; op < ops.Length; op++)
                {
                    var note = string.Create(CultureInfo.InvariantCulture, $"CPU time: {best[v].Cpu[op] / raw.Cpu[op]:0.00} ({1e6 / best[v].Cpu[op]:0.00} vs {1e6 / raw.Cpu[op]:0.00} µs/row)");
                    context.Report.Add(new Measurement(Group, $"{ops[op]}, {variants[v].Name}", rows, "rows/s", best[v].Wall[op], raw.Wall[op], "raw SQLite, no capture", best[v].Wall[op] / raw.Wall[op], Note: note));
                }
            }
        }
    }

    /// <summary>The write workload on a new file; <paramref name="ddl"/> null takes the capture Rhei installs itself.</summary>
    private static Best RunOne(ScenarioContext context, long rows, string[]? ddl)
    {
        using var directory = context.NewDirectory("capture-variant");
        var file = directory.File("variant.db");
        if (ddl is null)
        {
            using var rhei = Connections.OpenRhei(file, "Sync Interval=0");
            Connections.Execute(rhei, WriteWorkload.EventsDdl);
        }

        using var connection = Connections.OpenRawSqlite(file);
        if (ddl is not null)
        {
            Connections.Execute(connection, WriteWorkload.EventsDdl);
            foreach (var sql in ddl)
            {
                Connections.Execute(connection, sql);
            }
        }

        var cpu = new[] { new StrongBox<double>(), new StrongBox<double>(), new StrongBox<double>() };
        var result = new Best();
        result.Wall[0] = WriteWorkload.Insert(connection, 1, rows, batched: true, cpu[0]);
        result.Wall[1] = WriteWorkload.Update(connection, 1, rows, cpu[1]);
        result.Wall[2] = WriteWorkload.Delete(connection, 1, rows, cpu[2]);
        for (var i = 0; i < 3; i++)
        {
            result.Cpu[i] = rows / cpu[i].Value;
        }

        SqliteConnection.ClearAllPools();
        return result;
    }

    /// <summary>Rows per second of wall time and of CPU time, for INSERT, UPDATE and DELETE: the best seen.</summary>
    private sealed class Best
    {
        public double[] Wall { get; } = new double[3];

        public double[] Cpu { get; } = new double[3];

        public void Keep(Best other)
        {
            for (var i = 0; i < 3; i++)
            {
                Wall[i] = Math.Max(Wall[i], other.Wall[i]);
                Cpu[i] = Math.Max(Cpu[i], other.Cpu[i]);
            }
        }
    }
}
