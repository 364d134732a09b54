using Microsoft.Data.Sqlite;

namespace Rhei.Data.Benchmarks.Data;

/// <summary>A TPC-C-shaped subset for the HTAP mix (CH-benCHmark-like): the tables New-Order and Payment touch.</summary>
internal static class TpccSchema
{
    public const int Warehouses = 2;
    public const int DistrictsPerWarehouse = 10;
    public const int CustomersPerDistrict = 300;
    public const int Items = 10_000;

    public const string Ddl = """
        CREATE TABLE warehouse (w_id INTEGER PRIMARY KEY, w_ytd REAL NOT NULL);
        CREATE TABLE district (d_id INTEGER PRIMARY KEY, d_w_id INTEGER NOT NULL, d_next_o_id INTEGER NOT NULL, d_ytd REAL NOT NULL);
        CREATE TABLE customer (c_id INTEGER PRIMARY KEY, c_d_id INTEGER NOT NULL, c_balance REAL NOT NULL, c_payment_cnt INTEGER NOT NULL);
        CREATE TABLE stock (s_i_id INTEGER PRIMARY KEY, s_quantity INTEGER NOT NULL, s_order_cnt INTEGER NOT NULL);
        CREATE TABLE orders (o_id INTEGER PRIMARY KEY, o_d_id INTEGER NOT NULL, o_c_id INTEGER NOT NULL, o_entry_d TEXT NOT NULL, o_ol_cnt INTEGER NOT NULL);
        CREATE TABLE order_line (ol_id INTEGER PRIMARY KEY, ol_o_id INTEGER NOT NULL, ol_i_id INTEGER NOT NULL, ol_quantity INTEGER NOT NULL, ol_amount REAL NOT NULL, ol_delivery_d TEXT NOT NULL);
        """;

    /// <summary>CH-benCHmark-like analytics over the transactional tables.</summary>
    public static readonly string[] AnalyticalQueries =
    [
        "SELECT ol_i_id % 10 AS bucket, SUM(ol_quantity) AS qty, SUM(ol_amount) AS amount, AVG(ol_amount) AS avg_amount, COUNT(*) AS n FROM order_line WHERE ol_delivery_d > '2007-01-02' GROUP BY ol_i_id % 10 ORDER BY bucket",
        "SELECT c_d_id, COUNT(*) AS n, SUM(ol_amount) AS amount FROM customer JOIN orders ON o_c_id = c_id JOIN order_line ON ol_o_id = o_id GROUP BY c_d_id ORDER BY amount DESC LIMIT 5",
    ];

    public static int Districts => Warehouses * DistrictsPerWarehouse;

    public static int Customers => Districts * CustomersPerDistrict;

    /// <summary>Loads the tables with <paramref name="orders"/> orders of 10 lines each.</summary>
    public static void Load(SqliteConnection connection, long orders)
    {
        SqliteLoader.Execute(connection, Ddl);
        SqliteLoader.Insert(connection, "warehouse", 2, Enumerable.Range(1, Warehouses).Select(w => new object[] { (long)w, 0.0 }));
        SqliteLoader.Insert(connection, "district", 4, Enumerable.Range(1, Districts).Select(d => new object[] { (long)d, (long)(1 + (d - 1) / DistrictsPerWarehouse), orders + 1, 0.0 }));
        SqliteLoader.Insert(connection, "customer", 4, Enumerable.Range(1, Customers).Select(c => new object[] { (long)c, (long)(1 + (c - 1) / CustomersPerDistrict), 0.0, 0L }));
        SqliteLoader.Insert(connection, "stock", 3, Enumerable.Range(1, Items).Select(i => new object[] { (long)i, 100L, 0L }));
        var random = new Random(5);
        SqliteLoader.Insert(connection, "orders", 5, Range(orders).Select(o => new object[] { o, 1 + o % Districts, 1 + random.NextInt64(Customers), "2007-01-01", 10L }));
        SqliteLoader.Insert(connection, "order_line", 6, Range(orders * 10).Select(l => new object[] { l, 1 + (l - 1) / 10, 1 + random.NextInt64(Items), 5L, Math.Round(random.NextDouble() * 100, 2), "2007-01-03" }));
    }

    private static IEnumerable<long> Range(long count)
    {
        for (long i = 1; i <= count; i++)
        {
            yield return i;
        }
    }
}
