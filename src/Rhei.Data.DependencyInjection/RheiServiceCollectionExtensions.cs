using System.Data.Common;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Rhei.Data;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Rhei.Data in a service collection.</summary>
public static class RheiServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="RheiDataSource"/> for <paramref name="connectionString"/> (created with the container's
    /// <see cref="ILoggerFactory"/>, when there is one), the same instance as <see cref="DbDataSource"/>, and
    /// <see cref="RheiConnection"/> / <see cref="DbConnection"/> as closed connections from it.
    /// </summary>
    /// <param name="serviceCollection">The service collection.</param>
    /// <param name="connectionString">A Rhei.Data connection string; checked here, naming any bad key.</param>
    /// <param name="dataSourceLifetime">Lifetime of the data source (one engine per instance, so singleton by default).</param>
    /// <param name="connectionLifetime">Lifetime of the connections (transient by default: each is cheap and short-lived).</param>
    public static IServiceCollection AddRheiDataSource(
        this IServiceCollection serviceCollection,
        string connectionString,
        ServiceLifetime dataSourceLifetime = ServiceLifetime.Singleton,
        ServiceLifetime connectionLifetime = ServiceLifetime.Transient)
    {
        ArgumentNullException.ThrowIfNull(serviceCollection);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        // Fail at registration, naming the key, rather than at the first resolution.
        _ = new RheiConnectionStringBuilder(connectionString);

        serviceCollection.TryAdd(new ServiceDescriptor(
            typeof(RheiDataSource),
            sp => RheiDataSource.Create(connectionString, sp.GetService<ILoggerFactory>()),
            dataSourceLifetime));
        serviceCollection.TryAdd(new ServiceDescriptor(typeof(DbDataSource), sp => sp.GetRequiredService<RheiDataSource>(), dataSourceLifetime));
        serviceCollection.TryAdd(new ServiceDescriptor(typeof(RheiConnection), sp => sp.GetRequiredService<RheiDataSource>().CreateConnection(), connectionLifetime));
        serviceCollection.TryAdd(new ServiceDescriptor(typeof(DbConnection), sp => sp.GetRequiredService<RheiConnection>(), connectionLifetime));
        return serviceCollection;
    }
}
