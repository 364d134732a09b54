// EF1001: design-time services live in *.Internal namespaces by EF's convention; this test exercises them directly.
#pragma warning disable EF1001
using System.Reflection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Scaffolding;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rhei.Data;
using Rhei.EntityFrameworkCore.Design.Internal;
using Rhei.EntityFrameworkCore.Scaffolding.Internal;

namespace Rhei.EntityFrameworkCore.Tests;

/// <summary>
/// What <c>dotnet ef dbcontext scaffold "&lt;Rhei connection string&gt;" Rhei.EntityFrameworkCore</c> runs: the services
/// named by the assembly's <see cref="DesignTimeProviderServicesAttribute"/>, resolved from a provider as EF's
/// design-time builder makes one.
/// </summary>
public sealed class DesignTimeServicesTest
{
    [Fact]
    public void Provider_assembly_names_Rhei_design_time_services()
    {
        var attribute = typeof(RheiDesignTimeServices).Assembly.GetCustomAttribute<DesignTimeProviderServicesAttribute>();
        Assert.NotNull(attribute);
        Assert.Equal(typeof(RheiDesignTimeServices), typeof(RheiDesignTimeServices).Assembly.GetType(attribute.TypeName, throwOnError: true));
    }

    [Fact]
    public void Model_factory_reads_a_Rhei_connection_string_without_Rhei_tables_or_triggers()
    {
        using var db = new TempDatabase("Olap=DuckDb");
        CreateShopTables(db.ConnectionString);
        using (var sqlite = new SqliteConnection($"Data Source={db.FilePath}"))
        {
            sqlite.Open();
            using var count = sqlite.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE '\\_rhei\\_%' ESCAPE '\\'";
            Assert.True((long)count.ExecuteScalar()! > 0, "change capture should have left its tables and triggers to hide");
        }

        using var scope = BuildDesignTimeServices().CreateScope();
        var factory = scope.ServiceProvider.GetRequiredService<IDatabaseModelFactory>();
        Assert.IsType<RheiDatabaseModelFactory>(factory);

        var model = factory.Create(db.ConnectionString, new DatabaseModelFactoryOptions());

        Assert.Equal(["sales", "stores"], model.Tables.Select(t => t.Name).Order());
        var sales = model.Tables.Single(t => t.Name == "sales");
        Assert.Equal(["id", "store_id", "amount"], sales.Columns.Select(c => c.Name));
        Assert.Equal("stores", Assert.Single(sales.ForeignKeys).PrincipalTable.Name);
        // Change capture installed triggers on both tables; they are Rhei's, not the model's.
        Assert.All(model.Tables, t => Assert.Empty(t.Triggers));
    }

    [Fact]
    public void Model_factory_reads_through_an_open_Rhei_connection()
    {
        using var db = new TempDatabase();
        CreateShopTables(db.ConnectionString);

        using var scope = BuildDesignTimeServices().CreateScope();
        var factory = scope.ServiceProvider.GetRequiredService<IDatabaseModelFactory>();
        using var connection = new RheiConnection(db.ConnectionString);
        connection.Open();

        var model = factory.Create(connection, new DatabaseModelFactoryOptions(tables: ["stores"]));

        Assert.Equal("stores", Assert.Single(model.Tables).Name);
        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
    }

    [Fact]
    public void Scaffolded_context_is_configured_with_UseRhei()
    {
        using var scope = BuildDesignTimeServices().CreateScope();
        var generator = scope.ServiceProvider.GetRequiredService<IProviderConfigurationCodeGenerator>();

        var call = generator.GenerateUseProvider("Data Source=shop.db;Olap=DuckDb", providerOptions: null);

        Assert.Equal(nameof(RheiDbContextOptionsBuilderExtensions.UseRhei), call.Method);
        Assert.Equal(nameof(RheiDbContextOptionsBuilderExtensions), call.DeclaringType);
        Assert.Equal(["Data Source=shop.db;Olap=DuckDb"], call.Arguments);
    }

    private static void CreateShopTables(string connectionString)
    {
        using var connection = new RheiConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            """
            CREATE TABLE stores (id INTEGER PRIMARY KEY, city TEXT NOT NULL);
            CREATE TABLE sales (id INTEGER PRIMARY KEY, store_id INTEGER NOT NULL REFERENCES stores (id), amount REAL NOT NULL);
            INSERT INTO stores (city) VALUES ('Oslo');
            INSERT INTO sales (store_id, amount) VALUES (1, 2.5);
            """;
        command.ExecuteNonQuery();
    }

    private static ServiceProvider BuildDesignTimeServices()
    {
        // The part of EF's design-time builder (Microsoft.EntityFrameworkCore.Design) that scaffolding depends on:
        // logging. The provider's services come from the assembly attribute, as `dotnet ef` finds them.
        var services = new ServiceCollection().AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        var attribute = typeof(RheiDesignTimeServices).Assembly.GetCustomAttribute<DesignTimeProviderServicesAttribute>()!;
        var designTimeServices = (IDesignTimeServices)Activator.CreateInstance(typeof(RheiDesignTimeServices).Assembly.GetType(attribute.TypeName, throwOnError: true)!)!;
        designTimeServices.ConfigureDesignTimeServices(services);
        return services.BuildServiceProvider(validateScopes: true);
    }
}
