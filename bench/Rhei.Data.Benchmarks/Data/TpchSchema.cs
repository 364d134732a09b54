namespace Rhei.Data.Benchmarks.Data;

/// <summary>
/// A TPC-H-shaped subset (customer, orders, lineitem) in the types SQLite applications use: dates as ISO
/// text, money as REAL. The DuckDB DDL uses the types the mirror maps them to (BIGINT, DOUBLE, VARCHAR), so
/// the raw-DuckDB baseline scans the same column types the mirror holds.
/// </summary>
internal static class TpchSchema
{
    public const string SqliteDdl = """
        CREATE TABLE customer (c_custkey INTEGER PRIMARY KEY, c_name TEXT NOT NULL, c_nationkey INTEGER NOT NULL, c_acctbal REAL NOT NULL, c_mktsegment TEXT NOT NULL);
        CREATE TABLE orders (o_orderkey INTEGER PRIMARY KEY, o_custkey INTEGER NOT NULL, o_orderstatus TEXT NOT NULL, o_totalprice REAL NOT NULL, o_orderdate TEXT NOT NULL, o_orderpriority TEXT NOT NULL);
        CREATE TABLE lineitem (l_id INTEGER PRIMARY KEY, l_orderkey INTEGER NOT NULL, l_partkey INTEGER NOT NULL, l_suppkey INTEGER NOT NULL, l_quantity REAL NOT NULL, l_extendedprice REAL NOT NULL, l_discount REAL NOT NULL, l_tax REAL NOT NULL, l_returnflag TEXT NOT NULL, l_linestatus TEXT NOT NULL, l_shipdate TEXT NOT NULL);
        """;

    public const string DuckDbDdl = """
        CREATE TABLE customer (c_custkey BIGINT PRIMARY KEY, c_name VARCHAR NOT NULL, c_nationkey BIGINT NOT NULL, c_acctbal DOUBLE NOT NULL, c_mktsegment VARCHAR NOT NULL);
        CREATE TABLE orders (o_orderkey BIGINT PRIMARY KEY, o_custkey BIGINT NOT NULL, o_orderstatus VARCHAR NOT NULL, o_totalprice DOUBLE NOT NULL, o_orderdate VARCHAR NOT NULL, o_orderpriority VARCHAR NOT NULL);
        CREATE TABLE lineitem (l_id BIGINT PRIMARY KEY, l_orderkey BIGINT NOT NULL, l_partkey BIGINT NOT NULL, l_suppkey BIGINT NOT NULL, l_quantity DOUBLE NOT NULL, l_extendedprice DOUBLE NOT NULL, l_discount DOUBLE NOT NULL, l_tax DOUBLE NOT NULL, l_returnflag VARCHAR NOT NULL, l_linestatus VARCHAR NOT NULL, l_shipdate VARCHAR NOT NULL);
        """;

    /// <summary>Orders per line item and customers per order follow TPC-H's proportions (about 4 and 10).</summary>
    public static long OrdersFor(long lineItems) => Math.Max(lineItems / 4, 1);

    public static long CustomersFor(long lineItems) => Math.Max(lineItems / 40, 10);

    public static readonly string[] Segments = ["AUTOMOBILE", "BUILDING", "FURNITURE", "HOUSEHOLD", "MACHINERY"];

    public static readonly string[] Priorities = ["1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"];
}
