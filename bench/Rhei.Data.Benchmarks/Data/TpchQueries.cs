namespace Rhei.Data.Benchmarks.Data;

/// <summary>
/// The analytical queries, written in the SQL both engines understand (the text an application would send
/// to SQLite). Each returns a small result, so the figures measure the query, not the transfer of rows.
/// </summary>
internal static class TpchQueries
{
    public static readonly (string Name, string Sql)[] All =
    [
        ("scan-aggregate (Q6)", """
            SELECT SUM(l_extendedprice * l_discount) AS revenue, COUNT(*) AS n FROM lineitem
            WHERE l_shipdate >= '1994-01-01' AND l_shipdate < '1995-01-01' AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24
            """),
        ("group-by (Q1)", """
            SELECT l_returnflag, l_linestatus, SUM(l_quantity) AS qty, SUM(l_extendedprice * (1 - l_discount)) AS disc_price,
                   AVG(l_discount) AS avg_disc, COUNT(*) AS n
            FROM lineitem WHERE l_shipdate <= '1998-09-01' GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus
            """),
        ("group-by top-N", """
            SELECT l_partkey, SUM(l_extendedprice) AS revenue FROM lineitem GROUP BY l_partkey ORDER BY revenue DESC, l_partkey LIMIT 10
            """),
        ("join 2 tables", """
            SELECT o_orderpriority, COUNT(*) AS n, SUM(l_extendedprice) AS revenue FROM orders JOIN lineitem ON l_orderkey = o_orderkey
            WHERE o_orderdate >= '1993-07-01' AND o_orderdate < '1995-07-01' GROUP BY o_orderpriority ORDER BY o_orderpriority
            """),
        ("join 3 tables", """
            SELECT c_mktsegment, COUNT(*) AS n, SUM(l_extendedprice * (1 - l_discount)) AS revenue
            FROM customer JOIN orders ON o_custkey = c_custkey JOIN lineitem ON l_orderkey = o_orderkey
            WHERE l_shipdate > '1995-03-15' GROUP BY c_mktsegment ORDER BY revenue DESC
            """),
        ("window function", """
            SELECT COUNT(*) AS n, SUM(l_extendedprice) AS revenue FROM (
              SELECT l_extendedprice, ROW_NUMBER() OVER (PARTITION BY l_orderkey ORDER BY l_extendedprice DESC, l_id) AS rn FROM lineitem
            ) AS ranked WHERE rn <= 2
            """),
        ("distinct count", "SELECT COUNT(DISTINCT l_partkey) AS parts, COUNT(DISTINCT l_suppkey) AS suppliers FROM lineitem"),
    ];
}
