using System.Data;
using System.Data.Common;
using System.Globalization;

namespace Rhei.Data.Tests.Ado;

/// <summary>DataSet-based access as reporting tools do it: everything created from the provider factory.</summary>
public sealed class RheiDataAdapterTest
{
    [Fact]
    public void Factory_creates_adapter_and_command_builder()
    {
        DbProviderFactory factory = RheiFactory.Instance;
        Assert.True(factory.CanCreateDataAdapter);
        Assert.True(factory.CanCreateCommandBuilder);
        Assert.IsType<RheiDataAdapter>(factory.CreateDataAdapter());
        Assert.IsType<RheiCommandBuilder>(factory.CreateCommandBuilder());
    }

    [Fact]
    public void Fill_reads_from_both_engines()
    {
        using var db = CreateSales();
        // The factory's connection has an engine of its own (shared by its connection string) on the same file, so the
        // same db.namespace: the probe counts the engine that answered each Fill, after any fallback.
        using var probe = new EngineProbe(db.DataSource);
        DbProviderFactory factory = RheiFactory.Instance;
        using var connection = factory.CreateConnection()!;
        connection.ConnectionString = db.ConnectionString;
        connection.Open();
        using var adapter = factory.CreateDataAdapter()!;
        var data = new DataSet();

        adapter.SelectCommand = Command(connection, "SELECT id, region, amount FROM sales WHERE id = 2");
        Assert.Equal(RheiRoute.Oltp, ((RheiCommand)adapter.SelectCommand).ExplainRoute().Target);
        Assert.Equal(1, adapter.Fill(data, "row"));
        Assert.Equal((0L, 1L), (probe.DuckDb, probe.Sqlite));

        adapter.SelectCommand = Command(connection, "SELECT region, SUM(amount) AS total, COUNT(*) AS n FROM sales GROUP BY region ORDER BY region");
        Assert.Equal(RheiRoute.Olap, ((RheiCommand)adapter.SelectCommand).ExplainRoute().Target);
        Assert.Equal(2, adapter.Fill(data, "totals"));
        Assert.Equal((1L, 1L), (probe.DuckDb, probe.Sqlite));

        var row = Assert.Single(data.Tables["row"]!.Rows.Cast<DataRow>());
        Assert.Equal("south", row["region"]);
        Assert.Equal(4.0, row["amount"]);
        var totals = data.Tables["totals"]!;
        Assert.Equal(["north", "south"], totals.Rows.Cast<DataRow>().Select(r => (string)r["region"]));
        Assert.Equal(12.0, Convert.ToDouble(totals.Rows[0]["total"], CultureInfo.InvariantCulture));
        // DuckDB's COUNT is answered with SQLite's type, so the column is the same whichever engine filled it.
        Assert.Equal(typeof(long), totals.Columns["n"]!.DataType);
        Assert.Equal(2L, totals.Rows[0]["n"]);
    }

    [Fact]
    public void Update_with_a_command_builder_writes_back_to_SQLite()
    {
        using var db = CreateSales();
        DbProviderFactory factory = RheiFactory.Instance;
        using var connection = factory.CreateConnection()!;
        connection.ConnectionString = db.ConnectionString;
        connection.Open();
        var adapter = (RheiDataAdapter)factory.CreateDataAdapter()!;
        adapter.SelectCommand = (RheiCommand)Command(connection, "SELECT id, region, amount FROM sales");
        using var builder = factory.CreateCommandBuilder()!;
        builder.DataAdapter = adapter;
        var updating = new List<StatementType>();
        var updated = 0;
        adapter.RowUpdating += (_, e) => updating.Add(e.StatementType);
        adapter.RowUpdated += (_, e) => updated += e.RecordsAffected;

        var table = new DataTable();
        adapter.Fill(table);
        table.Rows.Cast<DataRow>().Single(r => (long)r["id"] == 1)["amount"] = 99.5;
        table.Rows.Cast<DataRow>().Single(r => (long)r["id"] == 3).Delete();
        table.Rows.Add(4L, "east", 7.25);
        Assert.Equal(3, adapter.Update(table));

        Assert.Equal([StatementType.Update, StatementType.Delete, StatementType.Insert], updating);
        Assert.Equal(3, updated);
        var update = ((RheiCommandBuilder)builder).GetUpdateCommand();
        Assert.Contains("UPDATE \"sales\" SET \"id\" = @p1", update.CommandText, StringComparison.Ordinal);

        // Read back on SQLite and on the mirror: both see the writes.
        using var check = new RheiCommand("SELECT id, region, amount FROM sales ORDER BY id", (RheiConnection)connection) { Route = RheiRoute.Oltp };
        var rows = new DataTable();
        new RheiDataAdapter(check).Fill(rows);
        Assert.Equal(
            ["1 north 99.5", "2 south 4", "4 east 7.25"],
            rows.Rows.Cast<DataRow>().Select(r => string.Create(CultureInfo.InvariantCulture, $"{r["id"]} {r["region"]} {r["amount"]}")));
        using var total = new RheiCommand("SELECT SUM(amount) FROM sales", (RheiConnection)connection);
        Assert.Equal(RheiRoute.Olap, total.ExplainRoute().Target);
        Assert.Equal(110.75, Convert.ToDouble(total.ExecuteScalar(), CultureInfo.InvariantCulture));
    }

    private static TestDatabase CreateSales()
    {
        var db = TestDatabase.Create();
        db.Execute("CREATE TABLE sales (id INTEGER PRIMARY KEY, region TEXT NOT NULL, amount REAL NOT NULL)");
        db.Execute("INSERT INTO sales VALUES (1, 'north', 10.5), (2, 'south', 4.0), (3, 'north', 1.5)");
        return db;
    }

    private static DbCommand Command(DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }
}
