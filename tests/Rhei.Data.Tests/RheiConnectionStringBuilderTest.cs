namespace Rhei.Data.Tests;

public class RheiConnectionStringBuilderTest
{
    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var builder = new RheiConnectionStringBuilder("Data Source=app.db");
        Assert.Equal("app.db", builder.DataSource);
        Assert.Equal(RheiOlapEngine.DuckDb, builder.Olap);
        Assert.Equal("All", builder.Replicate);
        Assert.Equal(RheiSyncMode.Destructive, builder.SyncMode);
        Assert.Equal(100, builder.SyncInterval);
        Assert.Equal(100_000, builder.SyncBatchSize);
        Assert.True(builder.PruneAfterSync);
        Assert.Equal(RheiFreshness.Strong, builder.Freshness);
        Assert.Equal(RheiRoute.Auto, builder.DefaultRoute);
    }

    [Fact]
    public void Keys_are_case_insensitive_and_aliases_normalize()
    {
        var builder = new RheiConnectionStringBuilder("filename=a.db;sync mode=temporal;SYNCINTERVAL=0;olap=none");
        Assert.Equal("a.db", builder.DataSource);
        Assert.Equal(RheiSyncMode.Temporal, builder.SyncMode);
        Assert.Equal(0, builder.SyncInterval);
        Assert.Equal(RheiOlapEngine.None, builder.Olap);
        Assert.Contains("Data Source=a.db", builder.ConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_key_throws_naming_the_key()
    {
        var ex = Assert.Throws<ArgumentException>(() => new RheiConnectionStringBuilder("Data Source=a.db;Olapp=DuckDb"));
        Assert.Contains("'olapp'", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Olap=Oracle", "Olap", "DuckDb, None")]
    [InlineData("Sync Mode=Sometimes", "Sync Mode", "Destructive, Temporal")]
    [InlineData("Freshness=Weak", "Freshness", "Strong, Eventual")]
    [InlineData("Default Route=Both", "Default Route", "Auto, Oltp, Olap")]
    [InlineData("Sync Interval=-5", "Sync Interval", "whole number")]
    [InlineData("Sync Batch Size=0", "Sync Batch Size", "whole number")]
    [InlineData("Prune After Sync=maybe", "Prune After Sync", "True, False")]
    [InlineData("Replicate=a,,b", "Replicate", "comma-separated")]
    [InlineData("Mode=Sideways", "Mode", "Sideways")]
    public void Bad_value_throws_naming_key_and_allowed_values(string pair, string key, string allowed)
    {
        var ex = Assert.Throws<ArgumentException>(() => new RheiConnectionStringBuilder("Data Source=a.db;" + pair));
        Assert.Contains($"'{key}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(allowed, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_string_throws()
        => Assert.Throws<ArgumentException>(() => new RheiConnectionStringBuilder("Data Source=a.db;=x;;'"));

    [Fact]
    public void Sqlite_keys_pass_through_and_rhei_keys_do_not()
    {
        var builder = new RheiConnectionStringBuilder("Data Source=a.db;Foreign Keys=True;Default Timeout=5;Olap=DuckDb;Sync Interval=5");
        var sqlite = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(builder.ToSqliteConnectionString());
        Assert.Equal("a.db", sqlite.DataSource);
        Assert.True(sqlite.ForeignKeys);
        Assert.Equal(5, sqlite.DefaultTimeout);
        Assert.DoesNotContain("Olap", sqlite.ConnectionString, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Redacted_string_hides_password()
    {
        var builder = new RheiConnectionStringBuilder("Data Source=a.db;Password=hunter2");
        Assert.DoesNotContain("hunter2", builder.ToRedactedString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_parse_replicate_list()
    {
        var options = RheiOptions.FromConnectionString("Data Source=a.db;Replicate=orders, users");
        Assert.NotNull(options.ReplicatedTables);
        Assert.True(options.ReplicatedTables!.SetEquals(["orders", "users"]));
        Assert.Null(RheiOptions.FromConnectionString("Data Source=a.db").ReplicatedTables);
        Assert.Empty(RheiOptions.FromConnectionString("Data Source=a.db;Replicate=None").ReplicatedTables!);
    }

    [Fact]
    public void Options_require_data_source()
    {
        var ex = Assert.Throws<ArgumentException>(() => RheiOptions.FromConnectionString("Olap=DuckDb"));
        Assert.Contains("Data Source", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bridge_path_is_refused_rather_than_ignored()
    {
        var ex = Assert.Throws<ArgumentException>(() => RheiOptions.FromConnectionString("Data Source=a.db;Bridge Path=/var/log"));
        Assert.Contains("'Bridge Path'", ex.Message, StringComparison.Ordinal);
    }
}
