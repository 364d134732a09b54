namespace Rhei.Data.Tests.Ado;

public class RheiDataSourceBuilderTest
{
    [Fact]
    public async Task Builder_builds_a_working_data_source()
    {
        var directory = Path.Combine(Path.GetTempPath(), "rhei-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var builder = new RheiDataSourceBuilder($"Data Source={Path.Combine(directory, "b.db")}");
        builder.ConnectionStringBuilder.SyncInterval = 0;
        await using var dataSource = builder.UseLoggerFactory(null).Build();
        await using var connection = await dataSource.OpenConnectionAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 40 + 2";
        Assert.Equal(42L, await command.ExecuteScalarAsync());
        Assert.Contains("Sync Interval=0", dataSource.ConnectionString, StringComparison.Ordinal);
    }
}
