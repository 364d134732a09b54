namespace Rhei.Data.Tests.Ado;

/// <summary>Connection-string values that cannot work are refused with the fix; passwords never show once opened.</summary>
public class ConnectionStringSafetyTest
{
    [Theory]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=:memory:;Cache=Shared")]
    [InlineData("Data Source=private-{0};Mode=Memory")]
    [InlineData("Data Source=file:private-{0}?mode=memory")]
    [InlineData("Data Source=file:private-{0}?mode=memory&cache=private;Cache=Shared")]
    public async Task Private_in_memory_database_with_a_mirror_is_refused_at_open_with_the_fix(string form)
    {
        var connectionString = string.Format(System.Globalization.CultureInfo.InvariantCulture, form, Guid.NewGuid().ToString("N"));
        await using var dataSource = RheiDataSource.Create(connectionString + ";Sync Interval=0");
        await using var connection = dataSource.CreateConnection();
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => connection.OpenAsync());
        Assert.Equal("Data Source", ex.ParamName);
        Assert.Contains("Cache=Shared", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Olap=None", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("_rhei_cdc_log", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Data Source=shared-{0};Mode=Memory;Cache=Shared")]
    [InlineData("Data Source=file:shared-{0}?mode=memory&cache=shared")]
    [InlineData("Data Source=file:shared-{0}?mode=memory;Cache=Shared")]
    public async Task Shared_in_memory_database_gets_a_working_mirror(string form)
    {
        var connectionString = string.Format(System.Globalization.CultureInfo.InvariantCulture, form, Guid.NewGuid().ToString("N"));
        await using var dataSource = RheiDataSource.Create(connectionString + ";Sync Interval=0");
        await using var connection = await dataSource.OpenConnectionAsync();
        using (var create = new RheiCommand("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)", connection))
        {
            create.ExecuteNonQuery();
        }

        using (var insert = new RheiCommand("INSERT INTO t VALUES (1, 10), (2, 20), (3, 30)", connection))
        {
            Assert.Equal(3, insert.ExecuteNonQuery());
        }

        using var read = new RheiCommand("SELECT count(*), sum(v) FROM t", connection) { Route = RheiRoute.Olap };
        using var reader = read.ExecuteReader();
        Assert.Equal(RheiRoute.Olap, reader.Route);
        Assert.True(reader.Read());
        Assert.Equal(3L, reader.GetInt64(0));
        Assert.Equal(60L, reader.GetInt64(1));
    }

    [Fact]
    public async Task Largest_default_timeout_is_accepted_and_duckdb_reads_still_run()
    {
        await using var db = TestDatabase.Create("Sync Interval=0;Default Timeout=2147483647");
        db.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
        db.Execute("INSERT INTO t VALUES (1), (2)");
        using var connection = db.Open();
        using var command = new RheiCommand("SELECT count(*) FROM t", connection) { Route = RheiRoute.Olap };
        Assert.Equal(int.MaxValue, command.CommandTimeout);
        using var reader = command.ExecuteReader();
        Assert.Equal(RheiRoute.Olap, reader.Route);
        Assert.True(reader.Read());
        Assert.Equal(2L, reader.GetInt64(0));
    }

    [Fact]
    public async Task Connection_from_a_data_source_never_shows_the_password()
    {
        await using var dataSource = RheiDataSource.Create("Data Source=never-opened.db;Password=hunter2");
        await using var connection = dataSource.CreateConnection();
        Assert.DoesNotContain("hunter2", connection.ConnectionString, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", connection.ConnectionString, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("never-opened.db", connection.ConnectionString, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", dataSource.ConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Password_is_kept_until_open_and_the_failed_open_does_not_show_it()
    {
        // The bundled e_sqlite3 has no encryption, so Microsoft.Data.Sqlite refuses a password at open.
        await using var db = TestDatabase.Create();
        await using var connection = new RheiConnection(db.ConnectionString + ";Password=hunter2");
        Assert.Contains("hunter2", connection.ConnectionString, StringComparison.Ordinal);
        var ex = await Record.ExceptionAsync(() => connection.OpenAsync());
        Assert.NotNull(ex);
        Assert.DoesNotContain("hunter2", ex.ToString(), StringComparison.Ordinal);
        Assert.Equal(System.Data.ConnectionState.Closed, connection.State);
        Assert.Contains("hunter2", connection.ConnectionString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Password_key_leaves_the_connection_string_once_opened_unless_persist_security_info(bool persist)
    {
        // An empty password is the only one e_sqlite3 opens with; the key still shows whether the string is stripped.
        await using var db = TestDatabase.Create();
        var connectionString = db.ConnectionString + ";Password=" + (persist ? ";Persist Security Info=True" : string.Empty);
        await using var connection = new RheiConnection(connectionString);
        Assert.Contains("Password=", connection.ConnectionString, StringComparison.Ordinal);
        await connection.OpenAsync();
        Assert.Equal(persist, connection.ConnectionString.Contains("Password", StringComparison.Ordinal));
        Assert.Contains(db.Path, connection.ConnectionString, StringComparison.Ordinal);
        await connection.CloseAsync();
        Assert.Equal(persist, connection.ConnectionString.Contains("Password", StringComparison.Ordinal));

        // Reopening works from the options kept inside, and a new string starts over.
        await connection.OpenAsync();
        await connection.CloseAsync();
        connection.ConnectionString = connectionString;
        Assert.Contains("Password=", connection.ConnectionString, StringComparison.Ordinal);
        RheiConnection.ClearPool(connection);
    }
}
