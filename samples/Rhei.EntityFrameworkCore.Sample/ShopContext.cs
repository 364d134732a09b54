using Microsoft.EntityFrameworkCore;

namespace Rhei.EntityFrameworkCore.Sample;

public sealed class ShopContext(DbContextOptions<ShopContext> options) : DbContext(options)
{
    public DbSet<Store> Stores => Set<Store>();

    public DbSet<Sale> Sales => Set<Sale>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.Entity<Sale>().HasIndex(s => s.SoldAt);
}
