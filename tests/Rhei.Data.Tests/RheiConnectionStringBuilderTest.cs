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

    [Theory]
    [InlineData("Data Source=a.db;Olap=None;Bridge Path=bridge", "Olap=DuckDb")]
    [InlineData("Data Source=:memory:;Bridge Path=bridge", "in-memory")]
    public void Bridge_path_is_refused_where_it_cannot_keep_a_durable_log(string connectionString, string says)
    {
        var ex = Assert.Throws<ArgumentException>(() => RheiOptions.FromConnectionString(connectionString));
        Assert.Contains("'Bridge Path'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(says, ex.Message, StringComparison.Ordinal);
        Assert.Equal("bridge", RheiOptions.FromConnectionString("Data Source=a.db;Bridge Path=bridge").BridgePath);
    }

    [Theory]
    [InlineData("Freshness=Strong,Eventual", "Freshness")]
    [InlineData("Freshness=Strong, Eventual", "Freshness")]
    [InlineData("Olap=DuckDb,None", "Olap")]
    [InlineData("Sync Mode=Destructive,Temporal", "Sync Mode")]
    [InlineData("Default Route=Oltp,Olap", "Default Route")]
    public void Comma_list_for_a_key_that_takes_one_value_is_refused(string pair, string key)
    {
        var ex = Assert.Throws<ArgumentException>(() => new RheiConnectionStringBuilder("Data Source=a.db;" + pair));
        Assert.Contains($"'{key}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("one value", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replicate_still_takes_a_list()
        => Assert.Equal("a,b", new RheiConnectionStringBuilder("Data Source=a.db;Replicate=a,b").Replicate);

    [Theory]
    [InlineData("Default Timeout=-1")]
    [InlineData("Default Timeout=2147483648")]
    [InlineData("Command Timeout=-5")]
    public void Out_of_range_default_timeout_is_refused_naming_the_key(string pair)
    {
        var ex = Assert.Throws<ArgumentException>(() => new RheiConnectionStringBuilder("Data Source=a.db;" + pair));
        Assert.Contains("'Default Timeout'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_hides_the_password_and_ConnectionString_keeps_it()
    {
        var builder = new RheiConnectionStringBuilder("Data Source=a.db;Password=hunter2");
        Assert.DoesNotContain("hunter2", builder.ToString(), StringComparison.Ordinal);
        Assert.Contains("Data Source=a.db", builder.ToString(), StringComparison.Ordinal);
        Assert.Contains("hunter2", builder.ConnectionString, StringComparison.Ordinal);
        Assert.Equal("hunter2", new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(builder.ToSqliteConnectionString()).Password);
    }

    [Fact]
    public void Persist_security_info_is_false_by_default_and_not_passed_to_sqlite()
    {
        Assert.False(new RheiConnectionStringBuilder("Data Source=a.db").PersistSecurityInfo);
        var builder = new RheiConnectionStringBuilder("Data Source=a.db;Persist Security Info=True");
        Assert.True(builder.PersistSecurityInfo);
        Assert.True(new RheiConnectionStringBuilder("Data Source=a.db;PersistSecurityInfo=yes").PersistSecurityInfo);
        Assert.DoesNotContain("Persist", builder.ToSqliteConnectionString(), StringComparison.OrdinalIgnoreCase);
        Assert.Throws<ArgumentException>(() => new RheiConnectionStringBuilder("Data Source=a.db;Persist Security Info=perhaps"));
    }

    [Fact]
    public void Options_never_print_the_password()
    {
        var options = RheiOptions.FromConnectionString("Data Source=a.db;Password=hunter2");
        Assert.DoesNotContain("hunter2", options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", options.RedactedConnectionString, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", options.ConnectionStringWithoutPassword, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", options.ConnectionStringWithoutPassword, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Data Source=:memory:", true, true)]
    [InlineData("Data Source=:memory:;Cache=Shared", true, true)]
    [InlineData("Data Source=x;Mode=Memory", true, true)]
    [InlineData("Data Source=x;Mode=Memory;Cache=Private", true, true)]
    [InlineData("Data Source=file:x?mode=memory", true, true)]
    [InlineData("Data Source=file:x?mode=memory&cache=private;Cache=Shared", true, true)]
    [InlineData("Data Source=file::memory:", true, true)]
    [InlineData("Data Source=x;Mode=Memory;Cache=Shared", true, false)]
    [InlineData("Data Source=file:x?mode=memory&cache=shared", true, false)]
    [InlineData("Data Source=file:x?mode=memory;Cache=Shared", true, false)]
    [InlineData("Data Source=file::memory:?cache=shared", true, false)]
    [InlineData("Data Source=app.db", false, false)]
    [InlineData("Data Source=file:app.db?cache=shared", false, false)]
    public void In_memory_forms_are_classified_as_sqlite_treats_them(string connectionString, bool inMemory, bool isPrivate)
    {
        var options = RheiOptions.FromConnectionString(connectionString);
        Assert.Equal(inMemory, options.IsInMemorySqlite);
        Assert.Equal(isPrivate, options.IsPrivateInMemorySqlite);
    }
}
