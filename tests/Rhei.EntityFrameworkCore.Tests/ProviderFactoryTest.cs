using System.Data;
using System.Data.Common;

namespace Rhei.EntityFrameworkCore.Tests;

/// <summary>A generic client that knows only the invariant name, as reporting tools do: no Rhei type is referenced.</summary>
public sealed class ProviderFactoryTest
{
    [Fact]
    public void Generic_client_opens_queries_and_reads_schema_through_DbProviderFactories()
    {
        using var db = new TempDatabase();
        DbProviderFactories.RegisterFactory("Rhei.Data", "Rhei.Data.RheiFactory, Rhei.Data");
        var factory = DbProviderFactories.GetFactory("Rhei.Data");

        var builder = factory.CreateConnectionStringBuilder()!;
        builder.ConnectionString = db.ConnectionString;
        using var connection = factory.CreateConnection()!;
        connection.ConnectionString = builder.ConnectionString;
        connection.Open();

        using (var command = connection.CreateCommand())
        {
            command.CommandText = "CREATE TABLE sales (id INTEGER PRIMARY KEY, region TEXT NOT NULL, amount REAL NOT NULL)";
            command.ExecuteNonQuery();
            command.CommandText = "INSERT INTO sales (region, amount) VALUES (@r, @a)";
            var region = factory.CreateParameter()!;
            region.ParameterName = "@r";
            var amount = factory.CreateParameter()!;
            amount.ParameterName = "@a";
            command.Parameters.Add(region);
            command.Parameters.Add(amount);
            foreach (var (r, a) in new[] { ("north", 10.5), ("south", 4.0), ("north", 1.5) })
            {
                region.Value = r;
                amount.Value = a;
                command.ExecuteNonQuery();
            }
        }

        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT region, SUM(amount) AS total, COUNT(*) AS n FROM sales GROUP BY region ORDER BY region";
            var table = new DataTable();
            using (var reader = command.ExecuteReader())
            {
                table.Load(reader);
            }

            Assert.Equal(2, table.Rows.Count);
            Assert.Equal("north", table.Rows[0]["region"]);
            Assert.Equal(12.0, Convert.ToDouble(table.Rows[0]["total"], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(2L, Convert.ToInt64(table.Rows[0]["n"], System.Globalization.CultureInfo.InvariantCulture));
        }

        var tables = connection.GetSchema("Tables").Rows.Cast<DataRow>().Select(r => (string)r["TABLE_NAME"]);
        Assert.Equal(["sales"], tables);
        var columns = connection.GetSchema("Columns", [null, null, "sales"]).Rows.Cast<DataRow>().Select(r => (string)r["COLUMN_NAME"]);
        Assert.Equal(["id", "region", "amount"], columns);
        connection.Close();
    }
}
