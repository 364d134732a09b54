using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Rhei.Data.Benchmarks.Data;
using Rhei.Data.Benchmarks.Harness;
using Rhei.Data.Benchmarks.Micro;
using Rhei.Data.Sql;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>
/// Repeated primary-key lookups: one reused RheiCommand against one reused SqliteCommand on the same file,
/// the same keys in the same order, alternating rounds; and the routing decision alone.
/// </summary>
internal static class PointReadScenario
{
    public const string Group = "point reads";

    private const string Lookup = "SELECT l_id, l_orderkey, l_quantity, l_extendedprice, l_shipdate FROM lineitem WHERE l_id = @id";

    public static void Run(ScenarioContext context, TpchFixture fixture, long rows)
    {
        var lookups = context.Quick ? 20_000 : 100_000;
        var keys = new long[lookups];
        var random = new Random(4);
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = 1 + random.NextInt64(rows);
        }

        using var rhei = new RheiCommand(Lookup, fixture.Rhei);
        var rheiId = Connections.AddParameter(rhei, "@id");
        using var raw = new SqliteCommand(Lookup, fixture.RawSqlite);
        var rawId = Connections.AddParameter(raw, "@id");
        raw.Prepare();

        var route = rhei.ExplainRoute();
        double rheiNs = double.MaxValue, rawNs = double.MaxValue;
        for (var round = 0; round < 4; round++)
        {
            // Round 0 warms both up (JIT, page cache, statement cache) and is not kept.
            var r = PerLookupNs(rhei, rheiId, keys);
            var s = PerLookupNs(raw, rawId, keys);
            if (round > 0)
            {
                rheiNs = Math.Min(rheiNs, r);
                rawNs = Math.Min(rawNs, s);
            }
        }

        context.Report.Add(new Measurement(Group, "primary-key lookup", rows, "ns/op", rheiNs, rawNs, "raw SQLite ns/op",
            rheiNs / rawNs, Target.Max(1.15), $"routed to {route.Target} ({route.Rule}); {lookups:N0} lookups, best of 3 rounds"));

        if (rows == context.Sizes([100_000], [10_000, 100_000, 1_000_000])[0])
        {
            RunRouting(context, fixture);
        }
    }

    private static double PerLookupNs(DbCommand command, DbParameter id, long[] keys)
    {
        long checksum = 0;
        var watch = Stopwatch.StartNew();
        foreach (var key in keys)
        {
            id.Value = key;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                checksum += reader.GetInt64(1);
            }
        }

        GC.KeepAlive(checksum);
        return watch.Elapsed.TotalNanoseconds / keys.Length;
    }

    private static void RunRouting(ScenarioContext context, TpchFixture fixture)
    {
        var point = SqlAnalyzer.Analyze(Lookup).Statements[0];
        var analytic = SqlAnalyzer.Analyze(TpchQueries.All[3].Sql).Statements[0];
        var routeContext = new RouteContext
        {
            OlapAvailable = true,
            Catalog = EveryTableReplicatedCatalog.Instance,
        };
        var iterations = context.Quick ? 200_000 : 2_000_000;

        context.Report.Add(new Measurement(Group, "routing decision (point read)", 0, "ns/op",
            NsPerOp(iterations, () => SqlRouter.Decide(point, routeContext)), Note: "SqlRouter.Decide on an analysed statement"));
        context.Report.Add(new Measurement(Group, "routing decision (2-table join)", 0, "ns/op",
            NsPerOp(iterations, () => SqlRouter.Decide(analytic, routeContext)), Note: "SqlRouter.Decide on an analysed statement"));
        context.Report.Add(new Measurement(Group, "analyse (cached) + decide", 0, "ns/op",
            NsPerOp(iterations, () => SqlRouter.Decide(SqlAnalyzer.Analyze(Lookup).Statements[0], routeContext)), Note: "cache lookup by text, then the router"));
        using var command = new RheiCommand(Lookup, fixture.Rhei);
        context.Report.Add(new Measurement(Group, "full plan (ExplainRoute)", 0, "ns/op",
            NsPerOp(iterations / 10, () => command.ExplainRoute()), Note: "what every Execute pays: analyse, route, plan"));
    }

    private static double NsPerOp<T>(int iterations, Func<T> action)
    {
        for (var i = 0; i < 1_000; i++)
        {
            action();
        }

        var best = double.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < iterations; i++)
            {
                action();
            }

            best = Math.Min(best, watch.Elapsed.TotalNanoseconds / iterations);
        }

        return best;
    }
}
