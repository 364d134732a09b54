using BenchmarkDotNet.Attributes;
using Rhei.Data.Sql;

namespace Rhei.Data.Benchmarks.Micro;

/// <summary>The cost of the routing decision, alone and with the cached analysis in front of it.</summary>
/// <remarks>Not sealed: BenchmarkDotNet derives from benchmark classes.</remarks>
[MemoryDiagnoser]
public class RoutingBenchmarks
{
    private const string PointRead = "SELECT l_id, l_quantity FROM lineitem WHERE l_id = @id";
    private const string Join = "SELECT o_orderpriority, COUNT(*) FROM orders JOIN lineitem ON l_orderkey = o_orderkey GROUP BY o_orderpriority";

    private SqlStatement _point = null!;
    private SqlStatement _join = null!;
    private RouteContext _context;

    [GlobalSetup]
    public void Setup()
    {
        _point = SqlAnalyzer.Analyze(PointRead).Statements[0];
        _join = SqlAnalyzer.Analyze(Join).Statements[0];
        _context = new RouteContext { OlapAvailable = true, Catalog = EveryTableReplicatedCatalog.Instance };
    }

    [Benchmark(Baseline = true)]
    public RheiRoute DecidePointRead() => SqlRouter.Decide(_point, _context).Target;

    [Benchmark]
    public RheiRoute DecideJoin() => SqlRouter.Decide(_join, _context).Target;

    [Benchmark]
    public RheiRoute AnalyzeCachedAndDecide() => SqlRouter.Decide(SqlAnalyzer.Analyze(PointRead).Statements[0], _context).Target;

    [Benchmark]
    public int AnalyzeUncached() => SqlAnalyzer.AnalyzeUncached(Join).Statements.Count;
}
