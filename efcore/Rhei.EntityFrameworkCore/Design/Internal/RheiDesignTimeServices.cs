using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Scaffolding;
using Microsoft.EntityFrameworkCore.Sqlite.Design.Internal;
using Microsoft.Extensions.DependencyInjection;
using Rhei.EntityFrameworkCore.Scaffolding.Internal;

namespace Rhei.EntityFrameworkCore.Design.Internal;

/// <summary>
/// Rhei's design-time services for <c>dotnet ef</c>: SQLite's, with a database model factory that accepts Rhei
/// connection strings and a code generator that emits <c>UseRhei</c>.
/// </summary>
/// <remarks>
/// Found two ways. <c>dotnet ef dbcontext scaffold "&lt;connection string&gt;" Rhei.EntityFrameworkCore</c> names this
/// assembly as the provider, and EF reads its <see cref="DesignTimeProviderServicesAttribute"/>. Commands that start
/// from a context (migrations, <c>database update</c>) use the SQLite provider's design services, since
/// <c>UseRhei</c> keeps SQLite as the provider; they need nothing from Rhei, because they run on the context's own
/// services (Rhei's connection and database creator). A project that also wants Rhei's services there adds
/// <c>[assembly: DesignTimeServicesReference("Rhei.EntityFrameworkCore.Design.Internal.RheiDesignTimeServices, Rhei.EntityFrameworkCore")]</c>.
/// </remarks>
public sealed class RheiDesignTimeServices : IDesignTimeServices
{
    /// <inheritdoc />
    public void ConfigureDesignTimeServices(IServiceCollection serviceCollection)
    {
        ArgumentNullException.ThrowIfNull(serviceCollection);

        // Rhei's first: SQLite's design services register with TryAdd, so these win over SQLite's model factory and
        // code generator, and AddEntityFrameworkRhei puts Rhei's connection in place before SQLite's.
        serviceCollection.AddEntityFrameworkRhei();
        new EntityFrameworkRelationalDesignServicesBuilder(serviceCollection)
            .TryAdd<IDatabaseModelFactory, RheiDatabaseModelFactory>()
            .TryAdd<IProviderConfigurationCodeGenerator, RheiCodeGenerator>();
        new SqliteDesignTimeServices().ConfigureDesignTimeServices(serviceCollection);
    }
}
