namespace Rhei.Data.Tests.Sql;

/// <summary>
/// Routing by SQLite's own query plan: a plain filter SQLite would answer by scanning a large replicated table goes to
/// DuckDB, an analytical read SQLite answers through a key stays on SQLite, and either way the rows and their CLR types
/// are SQLite's. "Large" is Full Scan Threshold (1,000 rows here, so that the tables stay small).
/// </summary>
public sealed class CostRoutingTest : IDisposable
{
    private const string Filter = "SELECT id, product, amount FROM sales WHERE product < 100";
    private readonly TestDatabase _db = TestDatabase.Create("Sync Interval=0;Full Scan Threshold=1000");

    public CostRoutingTest()
    {
        _db.Execute("CREATE TABLE sales (id INTEGER PRIMARY KEY, product INTEGER, amount REAL, note TEXT)");
        _db.Execute("CREATE TABLE tiny (id INTEGER PRIMARY KEY, product INTEGER)");
        _db.Execute("CREATE TABLE lines (id INTEGER PRIMARY KEY, sale_id INTEGER, qty INTEGER)");
        _db.Execute("CREATE INDEX lines_sale ON lines (sale_id)");
        _db.Execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) "
            + "INSERT INTO sales SELECT i, i % 1000, i * 0.25, 'n' || i FROM n");
        _db.Execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
            + "INSERT INTO lines SELECT i, i % 5000 + 1, i % 7 FROM n");
        _db.Execute("INSERT INTO tiny VALUES (1, 5), (2, 500)");
        using var connection = _db.Open();
        connection.SyncAsync().GetAwaiter().GetResult();
    }

    [Fact]
    public void A_filter_SQLite_would_answer_by_a_full_scan_of_a_large_table_runs_on_DuckDB_with_SQLite_s_rows()
    {
        using var connection = _db.Open();
        var explanation = Explain(connection, Filter);
        Assert.Equal((RheiRoute.Olap, "FullScan"), (explanation.Target, explanation.Rule));
        Assert.Contains("SCAN sales", explanation.Reason, StringComparison.Ordinal);
        Assert.Contains("5000 rows", explanation.Reason, StringComparison.Ordinal);

        var (autoRoute, autoRows) = Rows(connection, Filter, RheiRoute.Auto);
        var (_, sqliteRows) = Rows(connection, Filter, RheiRoute.Oltp);
        Assert.Equal(RheiRoute.Olap, autoRoute);
        Assert.Equal(500, sqliteRows.Count);
        Assert.Equal(Sorted(sqliteRows), Sorted(autoRows));
        Assert.Equal([typeof(long), typeof(long), typeof(double)], autoRows[0].Select(v => v.GetType()));
    }

    [Fact]
    public void The_plan_line_names_the_table_behind_an_alias()
    {
        using var connection = _db.Open();
        var explanation = Explain(connection, "SELECT s.id FROM sales AS s WHERE s.amount > 10.0");
        Assert.Equal((RheiRoute.Olap, "FullScan"), (explanation.Target, explanation.Rule));
        Assert.Contains("'sales'", explanation.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_filter_stays_on_SQLite_when_an_index_serves_it()
    {
        _db.Execute("CREATE INDEX sales_product ON sales (product)");
        using var connection = _db.Open();
        // The schema version the plan cache keys on is read by each cycle.
        await connection.SyncAsync();
        var explanation = Explain(connection, Filter);
        Assert.Equal((RheiRoute.Oltp, "Lookup"), (explanation.Target, explanation.Rule));
    }

    [Fact]
    public void A_full_scan_of_a_table_below_the_threshold_stays_on_SQLite()
    {
        using var connection = _db.Open();
        var explanation = Explain(connection, "SELECT id FROM tiny WHERE product < 100");
        Assert.Equal((RheiRoute.Oltp, "Lookup"), (explanation.Target, explanation.Rule));
        // The reason carries the plan fact that kept it here: the scan, the table's size and the threshold.
        Assert.Contains("SCAN tiny", explanation.Reason, StringComparison.Ordinal);
        Assert.Contains("all 2 rows of 'tiny'", explanation.Reason, StringComparison.Ordinal);
        Assert.Contains("below Full Scan Threshold 1000", explanation.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_default_threshold_is_the_measured_crossover_a_table_at_it_scans_on_DuckDB_one_row_below_on_SQLite()
    {
        // No Full Scan Threshold key: the shipped default (docs/architecture.md gives the measurement it comes from).
        using var db = TestDatabase.Create();
        var rows = RheiOptions.DefaultFullScanThreshold;
        db.Execute("CREATE TABLE big (id INTEGER PRIMARY KEY, product INTEGER, amount REAL)");
        db.Execute("CREATE TABLE small (id INTEGER PRIMARY KEY, product INTEGER, amount REAL)");
        db.Execute($"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) INSERT INTO big SELECT i, i % 1000, i * 0.5 FROM n");
        db.Execute($"INSERT INTO small SELECT * FROM big WHERE id < {rows}");
        using var connection = db.Open();
        await connection.SyncAsync();

        var big = Explain(connection, "SELECT id, amount FROM big WHERE product = 7");
        Assert.Equal((RheiRoute.Olap, "FullScan"), (big.Target, big.Rule));
        Assert.Contains($"all {rows} rows of 'big'", big.Reason, StringComparison.Ordinal);
        var small = Explain(connection, "SELECT id, amount FROM small WHERE product = 7");
        Assert.Equal((RheiRoute.Oltp, "Lookup"), (small.Target, small.Rule));
        Assert.Contains($"all {rows - 1} rows of 'small'", small.Reason, StringComparison.Ordinal);

        // Key lookups and small key ranges of the same large table stay on SQLite, and the rows are SQLite's either way.
        var point = Explain(connection, "SELECT * FROM big WHERE id = 42");
        Assert.Equal((RheiRoute.Oltp, "Lookup", "point lookup"), (point.Target, point.Rule, point.Reason));
        Assert.Equal(RheiRoute.Oltp, Explain(connection, "SELECT id FROM big WHERE id BETWEEN 10 AND 20").Target);
        var (route, duck) = Rows(connection, "SELECT id, amount FROM big WHERE product = 7", RheiRoute.Auto);
        var (_, sqlite) = Rows(connection, "SELECT id, amount FROM big WHERE product = 7", RheiRoute.Oltp);
        Assert.Equal(RheiRoute.Olap, route);
        Assert.Equal(Sorted(sqlite), Sorted(duck));
    }

    [Fact]
    public void A_LIMIT_keeps_the_shape_s_decision_because_each_engine_picks_its_own_rows()
    {
        using var connection = _db.Open();
        var explanation = Explain(connection, Filter + " LIMIT 5");
        Assert.Equal((RheiRoute.Oltp, "Lookup"), (explanation.Target, explanation.Rule));
    }

    [Fact]
    public void An_aggregate_SQLite_answers_through_the_key_of_a_large_table_stays_on_SQLite_with_DuckDB_s_answer()
    {
        using var connection = _db.Open();
        const string ByKey = "SELECT count(*), sum(amount) FROM sales WHERE id = 42";
        var explanation = Explain(connection, ByKey);
        Assert.Equal((RheiRoute.Oltp, "KeyedSearch"), (explanation.Target, explanation.Rule));
        Assert.Contains("INTEGER PRIMARY KEY", explanation.Reason, StringComparison.Ordinal);

        var (route, rows) = Rows(connection, ByKey, RheiRoute.Auto);
        var (_, duck) = Rows(connection, ByKey, RheiRoute.Olap);
        Assert.Equal(RheiRoute.Oltp, route);
        Assert.Equal(duck.Single(), rows.Single());
    }

    [Fact]
    public void An_aggregate_through_the_key_stays_on_SQLite_whatever_the_table_s_size()
    {
        using var connection = _db.Open();
        var explanation = Explain(connection, "SELECT count(*), max(product) FROM tiny WHERE id = 2");
        Assert.Equal((RheiRoute.Oltp, "KeyedSearch"), (explanation.Target, explanation.Rule));
        Assert.Equal([1L, 500L], Rows(connection, "SELECT count(*), max(product) FROM tiny WHERE id = 2", RheiRoute.Auto).Rows.Single());
    }

    [Fact]
    public void A_join_from_one_key_through_an_index_stays_on_SQLite()
    {
        using var connection = _db.Open();
        const string Join = "SELECT s.id, sum(l.qty) FROM sales s JOIN lines l ON l.sale_id = s.id WHERE s.id = 7 GROUP BY s.id";
        var explanation = Explain(connection, Join);
        Assert.Equal((RheiRoute.Oltp, "KeyedSearch"), (explanation.Target, explanation.Rule));
        Assert.Equal(Rows(connection, Join, RheiRoute.Olap).Rows.Single(), Rows(connection, Join, RheiRoute.Auto).Rows.Single());
    }

    [Theory]
    [InlineData("SELECT count(*), sum(amount) FROM sales WHERE id BETWEEN 1 AND 4000")]
    [InlineData("SELECT count(*) FROM lines WHERE sale_id = 7")]
    [InlineData("SELECT product, count(*) FROM sales GROUP BY product")]
    public void An_aggregate_over_a_range_a_non_unique_key_or_a_scan_still_goes_to_DuckDB(string sql)
    {
        using var connection = _db.Open();
        var explanation = Explain(connection, sql);
        Assert.Equal((RheiRoute.Olap, "Analytical"), (explanation.Target, explanation.Rule));
    }

    [Fact]
    public async Task A_threshold_of_zero_routes_by_shape_alone()
    {
        using var db = TestDatabase.Create("Sync Interval=0;Full Scan Threshold=0");
        db.Execute("CREATE TABLE sales (id INTEGER PRIMARY KEY, product INTEGER)");
        db.Execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO sales SELECT i, i % 1000 FROM n");
        using var connection = db.Open();
        await connection.SyncAsync();
        Assert.Equal("Lookup", Explain(connection, "SELECT id FROM sales WHERE product < 100").Rule);
        Assert.Equal("Analytical", Explain(connection, "SELECT count(*) FROM sales WHERE id = 3").Rule);
    }

    [Fact]
    public async Task A_command_kept_on_SQLite_while_its_table_was_small_goes_to_DuckDB_once_the_table_is_large()
    {
        using var connection = _db.Open();
        using var command = new RheiCommand("SELECT id FROM tiny WHERE product < 100", connection);
        using (var reader = command.ExecuteReader())
        {
            Assert.Equal(RheiRoute.Oltp, reader.Route);
        }

        _db.Execute("WITH RECURSIVE n(i) AS (SELECT 3 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO tiny SELECT i, i % 1000 FROM n");
        await connection.SyncAsync();
        // Row counts are cached for a second.
        await Task.Delay(1100);
        using (var reader = command.ExecuteReader())
        {
            Assert.Equal(RheiRoute.Olap, reader.Route);
        }
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("many")]
    public void A_bad_threshold_fails_at_once_naming_the_key(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => new RheiConnectionStringBuilder($"Data Source=x.db;Full Scan Threshold={value}"));
        Assert.Contains("Full Scan Threshold", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _db.Dispose();

    private static RheiRouteExplanation Explain(RheiConnection connection, string sql)
    {
        using var command = new RheiCommand(sql, connection);
        return command.ExplainRoute();
    }

    private static (RheiRoute Route, List<object[]> Rows) Rows(RheiConnection connection, string sql, RheiRoute route)
    {
        using var command = new RheiCommand(sql, connection) { Route = route };
        using var reader = command.ExecuteReader();
        var rows = new List<object[]>();
        while (reader.Read())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return (reader.Route, rows);
    }

    private static List<string> Sorted(List<object[]> rows)
        => rows.Select(r => string.Join("|", r.Select(v => $"{v.GetType().Name}:{v}"))).Order(StringComparer.Ordinal).ToList();
}
