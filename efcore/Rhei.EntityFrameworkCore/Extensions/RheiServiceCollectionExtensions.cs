using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Sqlite.Storage.Internal;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rhei.EntityFrameworkCore.Diagnostics.Internal;
using Rhei.EntityFrameworkCore.Infrastructure.Internal;
using Rhei.EntityFrameworkCore.Storage.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Rhei's EF Core services.</summary>
public static class RheiServiceCollectionExtensions
{
    /// <summary>
    /// Adds the services of the EF Core SQLite provider with Rhei's connection and database creator in place of
    /// SQLite's, and the interceptor that applies temporal query tags. Only needed when the application builds EF's internal service provider itself
    /// (<c>UseInternalServiceProvider</c>); <c>UseRhei</c> does this on its own otherwise.
    /// </summary>
    public static IServiceCollection AddEntityFrameworkRhei(this IServiceCollection serviceCollection)
    {
        ArgumentNullException.ThrowIfNull(serviceCollection);
        RheiEfVersion.EnsureSupported();

        // Registered before SQLite's services: the SQLite provider uses TryAdd, so the first registration wins.
        new EntityFrameworkRelationalServicesBuilder(serviceCollection)
            .TryAdd<IRelationalDatabaseCreator, RheiDatabaseCreator>()
            .TryAdd<IInterceptor, RheiTemporalCommandInterceptor>()
            .TryAddProviderSpecificServices(b => b.TryAddScoped<ISqliteRelationalConnection, RheiRelationalConnection>());

        serviceCollection.AddEntityFrameworkSqlite();
        return serviceCollection;
    }

    /// <summary>
    /// Puts Rhei's services in place whatever was registered before (used by <c>UseRhei</c>'s options extension,
    /// which may run after the SQLite provider's registrations when <c>UseSqlite</c> was called first).
    /// </summary>
    internal static IServiceCollection ReplaceWithRheiServices(this IServiceCollection serviceCollection)
    {
        serviceCollection.AddEntityFrameworkRhei();
        serviceCollection.Replace(ServiceDescriptor.Scoped<ISqliteRelationalConnection, RheiRelationalConnection>());
        serviceCollection.Replace(ServiceDescriptor.Scoped<IRelationalDatabaseCreator, RheiDatabaseCreator>());
        return serviceCollection;
    }
}
