using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Rhei.EntityFrameworkCore.Sample;

/// <summary>
/// How <c>dotnet ef</c> creates the context (the sample builds its options in Program.cs, which the tool does not run).
/// The connection string carries Rhei keys on purpose: UseRhei accepts them where UseSqlite would not.
/// </summary>
public sealed class ShopContextFactory : IDesignTimeDbContextFactory<ShopContext>
{
    /// <summary>Creates the context for design-time commands; <c>RHEI_SAMPLE_DB</c> overrides the database file.</summary>
    public ShopContext CreateDbContext(string[] args)
    {
        var file = Environment.GetEnvironmentVariable("RHEI_SAMPLE_DB") ?? "shop.db";
        return new ShopContext(new DbContextOptionsBuilder<ShopContext>().UseRhei($"Data Source={file};Olap=DuckDb;Sync Interval=0").Options);
    }
}
