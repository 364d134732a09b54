namespace Rhei.Data.Tests.Sidecar.PostgreSql;

/// <summary>
/// Every PostgreSQL sidecar test class shares one server (starting one takes seconds). The collection runs alone, after
/// the parallel ones: its classes end with <see cref="RheiConnection.ClearAllPools"/>, which shuts down every shared
/// engine in the process, including those of tests running beside it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PostgreSqlServerCollection : ICollectionFixture<PostgreSqlServerFixture>
{
    public const string Name = "PostgreSQL server";
}
