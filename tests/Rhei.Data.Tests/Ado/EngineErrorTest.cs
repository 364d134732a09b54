using Microsoft.Data.Sqlite;
using Rhei.Data.Olap;

namespace Rhei.Data.Tests.Ado;

/// <summary>Every engine failure a user can see is a public <see cref="RheiException"/> naming the engine, the original inside.</summary>
public class EngineErrorTest
{
    private static TestDatabase CreateWithRows()
    {
        var db = TestDatabase.Create();
        db.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
        db.Execute("INSERT INTO t VALUES (1, 10), (2, 20)");
        return db;
    }

    private static void AssertDuckDbError(Exception? ex)
    {
        var rhei = Assert.IsType<RheiException>(ex);
        Assert.Equal("DuckDB", rhei.Engine);
        Assert.Contains("DuckDB", rhei.Message, StringComparison.Ordinal);
        Assert.IsType<DuckDbException>(rhei.InnerException);
    }

    [Fact]
    public async Task Forced_olap_query_that_fails_in_duckdb_throws_RheiException_naming_DuckDB()
    {
        await using var db = CreateWithRows();
        using var connection = db.Open();
        using var command = new RheiCommand("SELECT no_such_column FROM t", connection) { Route = RheiRoute.Olap };
        AssertDuckDbError(Record.Exception(() => command.ExecuteReader()));
        AssertDuckDbError(Record.Exception(() => command.ExecuteScalar()));
        AssertDuckDbError(await Record.ExceptionAsync(() => command.ExecuteNonQueryAsync()));
    }

    [Fact]
    public async Task Duckdb_error_raised_while_the_statement_runs_is_a_RheiException()
    {
        await using var db = CreateWithRows();
        using var connection = db.Open();
        using var command = new RheiCommand(
            "SELECT CASE WHEN i < 5000 THEN i ELSE error('boom at 5000') END FROM range(10000) r(i)", connection) { Route = RheiRoute.Olap };
        var ex = Record.Exception(() =>
        {
            using var reader = command.ExecuteReader();
            Assert.Equal(RheiRoute.Olap, reader.Route);
            while (reader.Read())
            {
            }
        });
        AssertDuckDbError(ex);
        Assert.Contains("boom at 5000", ex!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failing_second_statement_on_duckdb_surfaces_from_NextResult_as_RheiException()
    {
        await using var db = CreateWithRows();
        using var connection = db.Open();
        using var command = new RheiCommand("SELECT count(*) FROM t; SELECT * FROM no_such_table", connection) { Route = RheiRoute.Olap };
        using var reader = command.ExecuteReader();
        Assert.Equal(RheiRoute.Olap, reader.Route);
        Assert.True(reader.Read());
        Assert.Equal(2L, reader.GetInt64(0));
        AssertDuckDbError(Record.Exception(() => reader.NextResult()));
    }

    [Fact]
    public async Task Reader_getter_on_a_duckdb_type_without_sqlite_storage_class_throws_RheiException_mid_stream()
    {
        await using var db = CreateWithRows();
        using var connection = db.Open();
        using var command = new RheiCommand("SELECT i, [i, i + 1] AS pair FROM range(3000) r(i) ORDER BY i", connection) { Route = RheiRoute.Olap };
        using var reader = command.ExecuteReader();
        Assert.Equal(RheiRoute.Olap, reader.Route);
        for (var i = 0; i < 2500; i++)
        {
            Assert.True(reader.Read());
            Assert.Equal(i, reader.GetInt64(0));
        }

        var ex = Assert.IsType<RheiException>(Record.Exception(() => reader.GetValue(1)));
        Assert.Equal("DuckDB", ex.Engine);
        Assert.IsType<NotSupportedException>(ex.InnerException);
        Assert.Contains("pair", ex.Message, StringComparison.Ordinal);
        Assert.Equal("DuckDB", Assert.IsType<RheiException>(Record.Exception(() => reader.GetFieldType(1))).Engine);

        // The reader stays usable for the columns it can read.
        Assert.True(reader.Read());
        Assert.Equal(2500L, reader.GetInt64(0));
    }

    [Fact]
    public async Task Open_with_a_mirror_duckdb_cannot_create_throws_RheiException_naming_DuckDB()
    {
        await using var db = CreateWithRows();
        // A path below a regular file: no directory can be made there, so no rebuild can help either.
        var blocker = Path.Combine(db.Directory, "plain-file");
        await File.WriteAllTextAsync(blocker, "not a directory");
        var connectionString = $"Data Source={db.Path};Olap Path={Path.Combine(blocker, "sub", "mirror.duckdb")};Sync Interval=0";
        await using var dataSource = RheiDataSource.Create(connectionString);
        await using var connection = dataSource.CreateConnection();
        var ex = Assert.IsType<RheiException>(await Record.ExceptionAsync(() => connection.OpenAsync()));
        Assert.Equal("DuckDB", ex.Engine);
        Assert.NotNull(ex.InnerException);
        Assert.Equal(System.Data.ConnectionState.Closed, connection.State);
    }

    [Fact]
    public async Task Sqlite_error_on_a_strong_read_is_a_RheiException_naming_SQLite_never_a_raw_SqliteException()
    {
        await using var db = CreateWithRows();
        using var connection = db.Open();
        using (var raw = new SqliteConnection($"Data Source={db.Path}"))
        {
            // Behind Rhei's back: Rhei's own change log disappears, so the freshness check cannot read it.
            raw.Open();
            using var drop = raw.CreateCommand();
            drop.CommandText = "DROP TABLE _rhei_cdc_log";
            drop.ExecuteNonQuery();
        }

        using var command = new RheiCommand("SELECT count(*) FROM t", connection) { Route = RheiRoute.Olap };
        var ex = Record.Exception(() => command.ExecuteScalar());
        if (ex is not null)
        {
            // Whatever the engine makes of the damage, what reaches the user is the public exception naming the engine.
            var rhei = Assert.IsType<RheiException>(ex);
            Assert.Contains(rhei.Engine, new[] { "SQLite", "DuckDB", "Rhei.Data" });
            Assert.NotNull(rhei.InnerException);
        }
    }

    [Fact]
    public async Task Sqlite_errors_are_wrapped_with_the_sqlite_codes_kept()
    {
        await using var db = CreateWithRows();
        using var connection = db.Open();
        using var command = new RheiCommand("INSERT INTO t VALUES (1, 99)", connection);
        var ex = Assert.IsType<RheiException>(Record.Exception(() => command.ExecuteNonQuery()));
        Assert.Equal("SQLite", ex.Engine);
        var inner = Assert.IsType<SqliteException>(ex.InnerException);
        Assert.Equal(19, ex.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Equal(inner.SqliteExtendedErrorCode, ex.ErrorCode);
    }
}
