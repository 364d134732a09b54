using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Rhei.Data;

namespace Rhei.EntityFrameworkCore.Infrastructure.Internal;

/// <summary>
/// Marks a context configured by <c>UseRhei</c> and carries what the SQLite options cannot: the
/// <see cref="RheiDataSource"/> connections come from. Not a provider extension: SQLite stays the provider
/// (so <c>IsSqlite()</c>, migrations and design-time services keep working); Rhei replaces two services.
/// </summary>
public sealed class RheiOptionsExtension : IDbContextOptionsExtension
{
    private DbContextOptionsExtensionInfo? _info;

    /// <summary>Creates the extension; <paramref name="dataSource"/> is null when EF opens connections from a connection string.</summary>
    public RheiOptionsExtension(RheiDataSource? dataSource = null)
    {
        DataSource = dataSource;
    }

    /// <summary>The data source connections are created from, or null.</summary>
    public RheiDataSource? DataSource { get; }

    /// <inheritdoc />
    public DbContextOptionsExtensionInfo Info => _info ??= new ExtensionInfo(this);

    /// <inheritdoc />
    public void ApplyServices(IServiceCollection services)
    {
        // Not ReplaceService: EF refuses it together with UseInternalServiceProvider. Replacing here works
        // whichever of UseSqlite and UseRhei ran first, since SQLite's registrations are TryAdd.
        services.ReplaceWithRheiServices();
    }

    /// <inheritdoc />
    public void Validate(IDbContextOptions options)
    {
    }

    private sealed class ExtensionInfo(RheiOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;

        public override string LogFragment => Extension.DataSource is null ? "using Rhei " : "using Rhei (data source) ";

        private new RheiOptionsExtension Extension => (RheiOptionsExtension)base.Extension;

        // The data source is read from the options of each context, not from the service provider,
        // so contexts with different data sources can share one internal service provider.
        public override int GetServiceProviderHashCode() => 0;

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo)
            => debugInfo["Rhei:DataSource"] = Extension.DataSource is null ? "0" : "1";
    }
}
