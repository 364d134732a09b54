using System.Data;
using System.Data.Common;
using Dapper;

namespace Rhei.Data.Tests.Ado;

/// <summary>
/// Issue 9's "same rows" for column names: DuckDB names an unaliased expression its own way (<c>count_star()</c>,
/// <c>sum(amount)</c> for <c>SUM(amount)</c>); the reader shows SQLite's names on both routes, so Dapper and DataTable
/// consumers see one shape. Each case runs on both engines and checks which one answered.
/// </summary>
public class ColumnNamesTest
{
    private static TestDatabase CreateWithOrders()
    {
        var db = TestDatabase.Create();
        db.Execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, amount REAL, \"Order Qty\" INTEGER, name TEXT)");
        db.Execute("INSERT INTO orders VALUES (1, 12.5, 3, 'anvil'), (2, 7.25, 1, 'bolt'), (3, 30, 2, 'anvil')");
        return db;
    }

    private static string[] Names(RheiConnection connection, string sql, RheiRoute route)
    {
        using var command = new RheiCommand(sql, connection) { Route = route };
        using var reader = command.ExecuteReader();
        Assert.Equal(route, reader.Route);
        var names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        var schemaNames = reader.GetSchemaTable()!.Rows.Cast<DataRow>().Select(r => (string)r[SchemaTableColumn.ColumnName]).ToArray();
        Assert.Equal(names, schemaNames);
        return names;
    }

    [Theory]
    [InlineData("SELECT count(*) FROM orders", new[] { "count(*)" })]
    [InlineData("SELECT COUNT(*), SUM(amount) FROM orders", new[] { "COUNT(*)", "SUM(amount)" })]
    [InlineData("SELECT sum(amount), avg(amount), max(\"Order Qty\") FROM orders GROUP BY name", new[] { "sum(amount)", "avg(amount)", "max(\"Order Qty\")" })]
    [InlineData("SELECT id + 1, amount*2 FROM orders ORDER BY id", new[] { "id + 1", "amount*2" })]
    [InlineData("SELECT CAST(amount AS INTEGER) FROM orders", new[] { "CAST(amount AS INTEGER)" })]
    [InlineData("SELECT CASE WHEN amount > 10 THEN 'big' ELSE 'small' END FROM orders", new[] { "CASE WHEN amount > 10 THEN 'big' ELSE 'small' END" })]
    [InlineData("SELECT (SELECT max(id) FROM orders) FROM orders", new[] { "(SELECT max(id) FROM orders)" })]
    [InlineData("SELECT * FROM (SELECT SUM(amount), count(*) FROM orders)", new[] { "SUM(amount)", "count(*)" })]
    [InlineData("SELECT * FROM orders", new[] { "id", "amount", "Order Qty", "name" })]
    [InlineData("SELECT \"Order Qty\", \"name\", ID FROM orders", new[] { "Order Qty", "name", "id" })]
    [InlineData("SELECT id, id, amount AS id FROM orders", new[] { "id", "id", "id" })]
    public async Task Unaliased_columns_have_SQLite_names_on_both_routes(string sql, string[] expected)
    {
        await using var db = CreateWithOrders();
        using var connection = db.Open();
        Assert.Equal(expected, Names(connection, sql, RheiRoute.Oltp));
        Assert.Equal(expected, Names(connection, sql, RheiRoute.Olap));
    }

    [Fact]
    public async Task GetOrdinal_and_DataTable_use_SQLite_names_on_DuckDB()
    {
        await using var db = CreateWithOrders();
        using var connection = db.Open();
        using var command = new RheiCommand("SELECT name, COUNT(*), SUM(amount) FROM orders GROUP BY name ORDER BY name", connection) { Route = RheiRoute.Olap };
        using var reader = command.ExecuteReader();
        Assert.Equal(RheiRoute.Olap, reader.Route);
        Assert.Equal(1, reader.GetOrdinal("COUNT(*)"));
        Assert.Equal(2, reader.GetOrdinal("sum(AMOUNT)"));
        var table = new DataTable();
        table.Load(reader);
        Assert.Equal(["name", "COUNT(*)", "SUM(amount)"], table.Columns.Cast<DataColumn>().Select(c => c.ColumnName));
        Assert.Equal(2L, table.Rows[0]["COUNT(*)"]);
        Assert.Equal(42.5, table.Rows[0]["SUM(amount)"]);
    }

    [Theory]
    [InlineData("/*+ rhei:oltp */ ")]
    [InlineData("/*+ rhei:olap */ ")]
    public async Task Dapper_dynamic_rows_have_the_same_keys_on_both_routes(string hint)
    {
        await using var db = CreateWithOrders();
        using var probe = new EngineProbe(db.DataSource);
        using var connection = db.Open();
        var row = (IDictionary<string, object>)connection.QuerySingle(hint + "SELECT COUNT(*), SUM(amount), max(id) + 1 FROM orders");
        Assert.Equal(["COUNT(*)", "SUM(amount)", "max(id) + 1"], row.Keys);
        Assert.Equal(3L, row["COUNT(*)"]);
        Assert.Equal(hint.Contains("olap", StringComparison.Ordinal) ? 1 : 0, probe.DuckDb);
        Assert.Equal(hint.Contains("olap", StringComparison.Ordinal) ? 0 : 1, probe.Sqlite);
    }

    [Theory]
    [InlineData(RheiRoute.Oltp)]
    [InlineData(RheiRoute.Olap)]
    public async Task Each_statement_of_a_batch_has_its_own_SQLite_names(RheiRoute route)
    {
        await using var db = CreateWithOrders();
        using var connection = db.Open();
        using var command = new RheiCommand("SELECT count(*) FROM orders; ; SELECT amount * 2, id + 1 FROM orders WHERE id = 1", connection) { Route = route };
        using var reader = command.ExecuteReader();
        Assert.Equal(route, reader.Route);
        Assert.Equal("count(*)", reader.GetName(0));
        Assert.True(reader.NextResult());
        Assert.Equal(["amount * 2", "id + 1"], Enumerable.Range(0, reader.FieldCount).Select(reader.GetName));
        Assert.True(reader.Read());
        Assert.Equal(25.0, reader.GetDouble(0));
        Assert.False(reader.NextResult());
    }

    [Fact]
    public async Task DuckDB_only_SQL_keeps_DuckDBs_names()
    {
        await using var db = CreateWithOrders();
        using var connection = db.Open();
        // SQLite cannot compile range(): there are no SQLite names to take, and the aliases are DuckDB's to give.
        Assert.Equal(["a", "b"], Names(connection, "SELECT 1 AS a, range AS b FROM range(3)", RheiRoute.Olap));
    }
}
