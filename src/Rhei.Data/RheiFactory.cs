using System.Data.Common;

namespace Rhei.Data;

/// <summary>
/// Creates Rhei.Data objects for code that only knows <see cref="DbProviderFactory"/>
/// (reporting tools, generic data layers). Register it under the invariant name <c>Rhei.Data</c>:
/// <c>DbProviderFactories.RegisterFactory(RheiFactory.InvariantName, RheiFactory.Instance)</c>.
/// </summary>
public sealed class RheiFactory : DbProviderFactory
{
    /// <summary>The provider's invariant name.</summary>
    public const string InvariantName = "Rhei.Data";

    /// <summary>The singleton instance.</summary>
    public static readonly RheiFactory Instance = new();

    private RheiFactory()
    {
    }

    /// <inheritdoc />
    public override bool CanCreateBatch => true;

    /// <inheritdoc />
    public override bool CanCreateDataSourceEnumerator => false;

    /// <inheritdoc />
    public override bool CanCreateDataAdapter => true;

    /// <inheritdoc />
    public override bool CanCreateCommandBuilder => true;

    /// <inheritdoc />
    public override DbCommand CreateCommand() => new RheiCommand();

    /// <inheritdoc />
    public override DbConnection CreateConnection() => new RheiConnection();

    /// <inheritdoc />
    public override DbConnectionStringBuilder CreateConnectionStringBuilder() => new RheiConnectionStringBuilder();

    /// <inheritdoc />
    public override DbParameter CreateParameter() => new RheiParameter();

    /// <inheritdoc />
    public override DbDataAdapter CreateDataAdapter() => new RheiDataAdapter();

    /// <inheritdoc />
    public override DbCommandBuilder CreateCommandBuilder() => new RheiCommandBuilder();

    /// <inheritdoc />
    public override DbBatch CreateBatch() => new RheiBatch();

    /// <inheritdoc />
    public override DbBatchCommand CreateBatchCommand() => new RheiBatchCommand();

    /// <inheritdoc />
    public override DbDataSource CreateDataSource(string connectionString) => RheiDataSource.Create(connectionString);

    /// <summary>Registers this factory with <see cref="DbProviderFactories"/> under <see cref="InvariantName"/>.</summary>
    public static void Register() => DbProviderFactories.RegisterFactory(InvariantName, Instance);
}
