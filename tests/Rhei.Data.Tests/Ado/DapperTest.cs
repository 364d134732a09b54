using Dapper;

namespace Rhei.Data.Tests.Ado;

public class DapperTest
{
    public sealed record Product(long Id, string Name, double Price, long? Qty);

    private static TestDatabase CreateWithProducts()
    {
        var db = TestDatabase.Create();
        using var connection = db.Open();
        connection.Execute("CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL NOT NULL, qty INTEGER)");
        connection.Execute("INSERT INTO products (id, name, price, qty) VALUES (@Id, @Name, @Price, @Qty)",
            new[] { new Product(1, "anvil", 99.5, 2), new Product(2, "bolt", 0.1, null), new Product(3, "crate", 12, 7) });
        return db;
    }

    // "" is a lookup SQLite answers; the hint sends the same text to DuckDB. The probe checks which engine did.
    private const string OltpHint = "/*+ rhei:oltp */ ";
    private const string OlapHint = "/*+ rhei:olap */ ";

    private static void AssertAnsweredBy(EngineProbe probe, string hint, int commands)
    {
        Assert.Equal(hint == OlapHint ? commands : 0, probe.DuckDb);
        Assert.Equal(hint == OlapHint ? 0 : commands, probe.Sqlite);
        probe.Reset();
    }

    [Theory]
    [InlineData(OltpHint)]
    [InlineData(OlapHint)]
    public async Task Query_maps_rows_on_both_routes(string hint)
    {
        await using var db = CreateWithProducts();
        using var probe = new EngineProbe(db.DataSource);
        using var connection = db.Open();
        var products = connection.Query<Product>(hint + "SELECT id, name, price, qty FROM products WHERE price > @min ORDER BY id", new { min = 1.0 }).ToList();
        Assert.Equal([new Product(1, "anvil", 99.5, 2), new Product(3, "crate", 12, 7)], products);
        AssertAnsweredBy(probe, hint, 1);
        var unbuffered = connection.Query<Product>(hint + "SELECT id, name, price, qty FROM products ORDER BY id", buffered: false).Count();
        Assert.Equal(3, unbuffered);
        AssertAnsweredBy(probe, hint, 1);
    }

    [Theory]
    [InlineData(OltpHint)]
    [InlineData(OlapHint)]
    public async Task QueryFirst_and_scalar_with_dynamic_parameters(string hint)
    {
        await using var db = CreateWithProducts();
        using var probe = new EngineProbe(db.DataSource);
        using var connection = db.Open();
        var parameters = new DynamicParameters();
        parameters.Add("name", "bolt");
        var product = connection.QueryFirst<Product>(hint + "SELECT id, name, price, qty FROM products WHERE name = @name", parameters);
        Assert.Null(product.Qty);
        Assert.Equal(3L, connection.ExecuteScalar<long>(hint + "SELECT COUNT(*) FROM products"));
        Assert.Equal(111.6, connection.ExecuteScalar<double>(hint + "SELECT SUM(price) FROM products"), 9);
        AssertAnsweredBy(probe, hint, 3);
    }

    [Theory]
    [InlineData(OltpHint)]
    [InlineData(OlapHint)]
    public async Task QueryMultiple_reads_each_result(string hint)
    {
        await using var db = CreateWithProducts();
        using var probe = new EngineProbe(db.DataSource);
        using var connection = db.Open();
        using (var grid = connection.QueryMultiple(hint + "SELECT COUNT(*) FROM products; " + hint + "SELECT name FROM products ORDER BY name DESC"))
        {
            Assert.Equal(3L, grid.ReadSingle<long>());
            Assert.Equal(["crate", "bolt", "anvil"], grid.Read<string>().ToList());
        }

        AssertAnsweredBy(probe, hint, 1);
    }

    [Theory]
    [InlineData(OltpHint)]
    [InlineData(OlapHint)]
    public async Task Multi_mapping_joins_on_both_routes(string hint)
    {
        await using var db = CreateWithProducts();
        using var connection = db.Open();
        connection.Execute("CREATE TABLE lines (id INTEGER PRIMARY KEY, product_id INTEGER, amount INTEGER)");
        connection.Execute("INSERT INTO lines VALUES (1, 1, 5), (2, 3, 1)");
        using var probe = new EngineProbe(db.DataSource);
        var rows = connection.Query<Product, long, (string, long)>(
            hint + "SELECT p.id, p.name, p.price, p.qty, l.amount FROM lines l JOIN products p ON p.id = l.product_id ORDER BY l.id",
            (p, amount) => (p.Name, amount), splitOn: "amount").ToList();
        Assert.Equal([("anvil", 5L), ("crate", 1L)], rows);
        AssertAnsweredBy(probe, hint, 1);
    }

    [Fact]
    public async Task Execute_with_transaction_commits_and_rolls_back()
    {
        await using var db = CreateWithProducts();
        using var connection = db.Open();
        using (var tx = connection.BeginTransaction())
        {
            connection.Execute("DELETE FROM products WHERE id = @id", new { id = 1 }, tx);
            tx.Rollback();
        }

        Assert.Equal(3L, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM products"));
        using (var tx = connection.BeginTransaction())
        {
            Assert.Equal(1, connection.Execute("DELETE FROM products WHERE id = @id", new { id = 1 }, tx));
            tx.Commit();
        }

        using var probe = new EngineProbe(db.DataSource);
        Assert.Equal(2L, connection.ExecuteScalar<long>(OlapHint + "SELECT COUNT(*) FROM products"));
        AssertAnsweredBy(probe, OlapHint, 1);
    }

    [Fact]
    public async Task Async_api_works()
    {
        await using var db = CreateWithProducts();
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var names = (await connection.QueryAsync<string>("SELECT name FROM products GROUP BY name ORDER BY name")).ToList();
        Assert.Equal(["anvil", "bolt", "crate"], names);
    }
}
