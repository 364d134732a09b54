using Microsoft.EntityFrameworkCore;

namespace Rhei.EntityFrameworkCore.Tests.Model;

public sealed class CommerceContext(DbContextOptions<CommerceContext> options) : DbContext(options)
{
    public DbSet<Customer> Customers => Set<Customer>();

    public DbSet<Product> Products => Set<Product>();

    public DbSet<Category> Categories => Set<Category>();

    public DbSet<Order> Orders => Set<Order>();

    public DbSet<OrderLine> OrderLines => Set<OrderLine>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Customer>(b =>
        {
            b.Property(c => c.Name).HasMaxLength(100);
            b.OwnsOne(c => c.Address);
        });
        modelBuilder.Entity<Product>().HasMany(p => p.Categories).WithMany(c => c.Products);
        modelBuilder.Entity<Order>().HasMany(o => o.Lines).WithOne(l => l.Order!).HasForeignKey(l => l.OrderId);
    }
}
