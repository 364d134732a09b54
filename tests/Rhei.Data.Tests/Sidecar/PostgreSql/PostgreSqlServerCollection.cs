namespace Rhei.Data.Tests.Sidecar.PostgreSql;

/// <summary>Every PostgreSQL sidecar test class shares one server (starting one takes seconds).</summary>
[CollectionDefinition(Name)]
public sealed class PostgreSqlServerCollection : ICollectionFixture<PostgreSqlServerFixture>
{
    public const string Name = "PostgreSQL server";
}
