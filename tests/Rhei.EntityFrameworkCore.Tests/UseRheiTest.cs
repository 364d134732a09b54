using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Rhei.Data;
using Rhei.EntityFrameworkCore.Tests.Model;

namespace Rhei.EntityFrameworkCore.Tests;

public sealed class UseRheiTest
{
    [Fact]
    public void UseRhei_replaces_connection_and_creator_and_keeps_sqlite_identity()
    {
        using var db = new TempDatabase("Olap=DuckDb;Sync Mode=Destructive");
        using var context = db.CreateContext(b => b.ConfigureWarnings(w => w.Throw(SqliteEventId.UnexpectedConnectionTypeWarning)));

        // By name: the services live in *.Internal namespaces, which applications (and these tests) do not reference.
        Assert.Equal("RheiRelationalConnection", context.GetService<IRelationalConnection>().GetType().Name);
        Assert.Equal("RheiDatabaseCreator", context.GetService<IRelationalDatabaseCreator>().GetType().Name);
        Assert.True(context.Database.IsSqlite());
        Assert.IsType<RheiConnection>(context.Database.GetDbConnection());
        Assert.True(context.Database.EnsureCreated());
    }

    [Fact]
    public void UseRhei_rejects_a_bad_key_naming_it()
    {
        var ex = Assert.Throws<ArgumentException>(() => new DbContextOptionsBuilder().UseRhei("Data Source=x.db;Sync Mode=Sometimes"));
        Assert.Contains("Sync Mode", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void EnsureCreated_on_fresh_file_then_EnsureDeleted_removes_every_file()
    {
        using var db = new TempDatabase("Olap Path=" + "mirror.duckdb");
        var olapPath = Path.Combine(db.Directory, "mirror.duckdb");
        var cs = db.ConnectionString.Replace("Olap Path=mirror.duckdb", "Olap Path=" + olapPath, StringComparison.Ordinal);
        var options = new DbContextOptionsBuilder<CommerceContext>().UseRhei(cs).Options;

        using (var context = new CommerceContext(options))
        {
            Assert.False(context.Database.CanConnect() && File.Exists(db.FilePath) && context.GetService<IRelationalDatabaseCreator>().HasTables());
            Assert.True(context.Database.EnsureCreated());
            Assert.False(context.Database.EnsureCreated());
            Seed.Commerce(context);
            Assert.Equal(6, context.Orders.Count());
        }

        Assert.True(File.Exists(db.FilePath));
        Assert.True(File.Exists(olapPath));

        using (var context = new CommerceContext(options))
        {
            Assert.True(context.Database.EnsureDeleted());
            Assert.False(context.Database.EnsureDeleted());
        }

        Assert.False(File.Exists(db.FilePath));
        Assert.False(File.Exists(db.FilePath + "-wal"));
        Assert.False(File.Exists(db.FilePath + "-shm"));
        Assert.False(File.Exists(olapPath));

        // The engine was shut down with the files: a new database at the same place starts from nothing.
        using (var context = new CommerceContext(options))
        {
            Assert.True(context.Database.EnsureCreated());
            Assert.Equal(0, context.Orders.Count());
            Seed.Commerce(context);
            Assert.Equal(3, context.Orders.GroupBy(o => o.CustomerId).Select(g => g.Count()).ToList().Count);
        }
    }

    [Fact]
    public async Task Async_create_save_query_and_delete()
    {
        using var db = new TempDatabase();
        await using var context = db.CreateContext();
        Assert.True(await context.Database.EnsureCreatedAsync());
        context.Products.AddRange(new Product { Name = "a", Price = 1.25m }, new Product { Name = "b", Price = 2m });
        Assert.Equal(2, await context.SaveChangesAsync());
        Assert.Equal(["a", "b"], await context.Products.OrderBy(p => p.Name).Select(p => p.Name).ToListAsync());
        Assert.Equal(2, await context.Products.GroupBy(p => p.Name).Select(g => g.Count()).CountAsync());
        Assert.Equal(3.25m, await context.Products.SumAsync(p => p.Price));
        Assert.True(await context.Database.EnsureDeletedAsync());
        Assert.False(File.Exists(db.FilePath));
    }

    [Fact]
    public void Savepoints_inside_a_user_transaction()
    {
        using var db = new TempDatabase();
        using var context = db.CreateContext();
        context.Database.EnsureCreated();
        using var transaction = context.Database.BeginTransaction();
        context.Products.Add(new Product { Name = "kept", Price = 1m });
        context.SaveChanges();
        transaction.CreateSavepoint("before_b");
        context.Products.Add(new Product { Name = "undone", Price = 2m });
        context.SaveChanges();
        transaction.RollbackToSavepoint("before_b");
        transaction.Commit();

        context.ChangeTracker.Clear();
        Assert.Equal(["kept"], context.Products.Select(p => p.Name).ToList());
    }

    [Fact]
    public void HasTables_ignores_rhei_and_migration_tables()
    {
        using var db = new TempDatabase();
        using (var connection = new RheiConnection(db.ConnectionString))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            // An empty database that has already seen Rhei (change capture) and EF migrations' lock.
            command.CommandText = "CREATE TABLE IF NOT EXISTS \"__EFMigrationsLock\" (\"Id\" INTEGER PRIMARY KEY, \"Timestamp\" TEXT);";
            command.ExecuteNonQuery();
        }

        using var context = db.CreateContext();
        Assert.False(context.GetService<IRelationalDatabaseCreator>().HasTables());
        Assert.True(context.Database.EnsureCreated());
        Assert.True(context.GetService<IRelationalDatabaseCreator>().HasTables());
    }

    [Fact]
    public void Crud_and_change_tracking()
    {
        using var db = new TempDatabase();
        using (var context = db.CreateContext())
        {
            context.Database.EnsureCreated();
            var customer = new Customer { Name = "Ada", Tier = CustomerTier.Gold, Address = new Address { Street = "1 Main", City = "Oslo" } };
            context.Customers.Add(customer);
            Assert.Equal(EntityState.Added, context.Entry(customer).State);
            context.SaveChanges();
            Assert.Equal(EntityState.Unchanged, context.Entry(customer).State);
            Assert.True(customer.Id > 0);

            customer.Name = "Ada L.";
            Assert.Equal(EntityState.Modified, context.Entry(customer).State);
            Assert.Equal(1, context.SaveChanges());
        }

        using (var context = db.CreateContext())
        {
            var customer = context.Customers.Single();
            Assert.Equal("Ada L.", customer.Name);
            Assert.Equal(CustomerTier.Gold, customer.Tier);
            Assert.Equal("Oslo", customer.Address.City);
            context.Customers.Remove(customer);
            context.SaveChanges();
        }

        using (var context = db.CreateContext())
        {
            Assert.Empty(context.Customers.ToList());
        }
    }

    [Fact]
    public void Owned_types_many_to_many_decimals_and_dates_round_trip()
    {
        using var db = new TempDatabase();
        using (var context = db.CreateContext())
        {
            context.Database.EnsureCreated();
            Seed.Commerce(context);
        }

        using (var context = db.CreateContext())
        {
            var novel = context.Products.Include(p => p.Categories).Single(p => p.Name == "Novel");
            Assert.Equal(0.10m, novel.Price);
            Assert.Equal(["Books", "Tools"], novel.Categories.Select(c => c.Name).Order());

            var first = context.Orders.Include(o => o.Lines).OrderBy(o => o.OrderedAt).First();
            Assert.Equal(new DateTime(2024, 1, 1, 8, 0, 0), first.OrderedAt);
            Assert.Equal(2, first.Lines.Count);

            // Decimal comparison and ordering use ef_compare and the EF_DECIMAL collation: registered by Rhei.
            var cheap = context.Products.Where(p => p.Price < 10m).OrderBy(p => p.Price).Select(p => p.Name).ToList();
            Assert.Equal(["Novel", "Hammer"], cheap);
            var doubled = context.Products.Where(p => p.Name == "Saw").Select(p => p.Price * 2 - 0.25m).Single();
            Assert.Equal(48.00m, doubled);
        }
    }

    [Fact]
    public void Transactions_commit_and_roll_back()
    {
        using var db = new TempDatabase();
        using var context = db.CreateContext();
        context.Database.EnsureCreated();

        using (var transaction = context.Database.BeginTransaction())
        {
            context.Products.Add(new Product { Name = "Kept", Price = 1m });
            context.SaveChanges();
            transaction.Commit();
        }

        using (var transaction = context.Database.BeginTransaction())
        {
            context.Products.Add(new Product { Name = "Dropped", Price = 2m });
            context.SaveChanges();
            Assert.Equal(2, context.Products.Count());
            transaction.Rollback();
        }

        context.ChangeTracker.Clear();
        Assert.Equal(["Kept"], context.Products.Select(p => p.Name).ToList());
    }

    [Fact]
    public void UseRhei_with_a_connection_and_with_a_data_source()
    {
        using var db = new TempDatabase();
        using (var connection = new RheiConnection(db.ConnectionString))
        {
            var options = new DbContextOptionsBuilder<CommerceContext>().UseRhei(connection).Options;
            using (var context = new CommerceContext(options))
            {
                context.Database.EnsureCreated();
                context.Products.Add(new Product { Name = "A", Price = 1.5m });
                context.SaveChanges();
            }

            // The caller still owns the connection, and EF's functions work on it.
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT ef_add(\"Price\", '1.25') FROM \"Products\"";
            Assert.Equal("2.75", Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
        }

        using var dataSource = RheiDataSource.Create(db.ConnectionString);
        var dsOptions = new DbContextOptionsBuilder<CommerceContext>().UseRhei(dataSource).Options;
        using (var context = new CommerceContext(dsOptions))
        {
            Assert.Equal(1.5m, context.Products.Select(p => p.Price).Sum());
            Assert.Equal(1.5m, context.Products.Max(p => p.Price));
            Assert.Throws<InvalidOperationException>(() => context.Database.EnsureDeleted());
        }
    }
}
