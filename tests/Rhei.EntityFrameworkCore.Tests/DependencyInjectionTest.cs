using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rhei.Data;
using Rhei.EntityFrameworkCore.Tests.Model;

namespace Rhei.EntityFrameworkCore.Tests;

public sealed class DependencyInjectionTest
{
    [Fact]
    public void AddRheiDataSource_resolves_a_working_DbDataSource_and_connections()
    {
        using var db = new TempDatabase();
        var services = new ServiceCollection()
            .AddLogging()
            .AddRheiDataSource(db.ConnectionString);
        using (var provider = services.BuildServiceProvider())
        {
            var dataSource = provider.GetRequiredService<DbDataSource>();
            Assert.Same(provider.GetRequiredService<RheiDataSource>(), dataSource);

            using (var command = dataSource.CreateCommand("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'one');"))
            {
                command.ExecuteNonQuery();
            }

            using var connection = provider.GetRequiredService<RheiConnection>();
            Assert.NotSame(connection, provider.GetRequiredService<RheiConnection>());
            connection.Open();
            using var query = connection.CreateCommand();
            query.CommandText = "SELECT v FROM t WHERE id = 1";
            Assert.Equal("one", query.ExecuteScalar());
        }

        // Disposing the container disposed the data source, releasing the files.
        Assert.True(File.Exists(db.FilePath));
    }

    [Fact]
    public void AddRheiDataSource_rejects_a_bad_key_at_registration()
        => Assert.Throws<ArgumentException>(() => new ServiceCollection().AddRheiDataSource("Data Source=x.db;Olap=Oracle"));

    [Fact]
    public void DbContext_takes_the_data_source_from_the_container()
    {
        using var db = new TempDatabase();
        var services = new ServiceCollection()
            .AddLogging()
            .AddRheiDataSource(db.ConnectionString)
            .AddDbContext<CommerceContext>((sp, o) => o.UseRhei(sp.GetRequiredService<RheiDataSource>()));
        using var provider = services.BuildServiceProvider();
        using (var scope = provider.CreateScope())
        {
            var context = scope.ServiceProvider.GetRequiredService<CommerceContext>();
            context.Database.EnsureCreated();
            Seed.Commerce(context);
        }

        using (var scope = provider.CreateScope())
        {
            var context = scope.ServiceProvider.GetRequiredService<CommerceContext>();
            Assert.Equal(3, context.Orders.Select(o => o.CustomerId).Distinct().Count());
        }
    }

    [Fact]
    public void AddEntityFrameworkRhei_serves_an_application_built_internal_provider()
    {
        using var db = new TempDatabase();
        var efServices = new ServiceCollection().AddEntityFrameworkRhei().BuildServiceProvider();
        var options = new DbContextOptionsBuilder<CommerceContext>()
            .UseInternalServiceProvider(efServices)
            .UseRhei(db.ConnectionString)
            .Options;
        using var context = new CommerceContext(options);
        Assert.True(context.Database.EnsureCreated());
        context.Products.Add(new Product { Name = "p", Price = 2.5m });
        context.SaveChanges();
        Assert.Equal(2.5m, context.Products.Sum(p => p.Price));
        Assert.IsType<RheiConnection>(context.Database.GetDbConnection());
        efServices.Dispose();
    }
}
