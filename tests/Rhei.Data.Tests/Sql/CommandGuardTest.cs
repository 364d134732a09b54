namespace Rhei.Data.Tests.Sql;

/// <summary>
/// Commands refused before any engine sees them: NUL in the text (issue 9, item 14) and writes or DDL on Rhei's own
/// objects (item 10). Each refusal is a <see cref="RheiException"/> that names the problem, and nothing changes.
/// </summary>
public sealed class CommandGuardTest
{
    [Theory]
    [InlineData("SELECT 1\0")]
    [InlineData("\0")]
    [InlineData("SELECT 1; \0 SELECT 2")]
    [InlineData("/*+ rhei:olap */ SELECT count(*) FROM t\0")]
    public void Nul_in_command_text_is_refused_at_once(string sql)
    {
        using var db = TestDatabase.Create();
        db.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT)");
        using var connection = db.Open();
        using var command = new RheiCommand(sql, connection) { CommandTimeout = 5 };
        var started = System.Diagnostics.Stopwatch.StartNew();
        var error = Assert.Throws<RheiException>(() => command.ExecuteScalar());
        Assert.Contains("NUL", error.Message, StringComparison.Ordinal);
        Assert.Contains($"position {sql.IndexOf('\0', StringComparison.Ordinal)}", error.Message, StringComparison.Ordinal);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2), $"took {started.Elapsed}");
        Assert.Throws<RheiException>(() => command.ExecuteNonQuery());
        Assert.Throws<RheiException>(() => command.ExplainRoute());
    }

    [Fact]
    public void Nul_in_parameter_values_still_works_on_both_routes()
    {
        using var db = TestDatabase.Create();
        db.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT)");
        db.Execute("INSERT INTO t VALUES (1, $s)", ("$s", "a\0b"));
        using var connection = db.Open();
        foreach (var route in new[] { RheiRoute.Oltp, RheiRoute.Olap })
        {
            using var command = new RheiCommand("SELECT s, length(s) FROM t WHERE s = $s", connection) { Route = route };
            command.Parameters.AddWithValue("$s", "a\0b");
            using var reader = command.ExecuteReader();
            Assert.Equal(route, reader.Route);
            Assert.True(reader.Read());
            Assert.Equal("a\0b", reader.GetString(0));
        }
    }

    [Theory]
    [InlineData("DELETE FROM _rhei_cdc_log", "_rhei_cdc_log")]
    [InlineData("UPDATE _rhei_cdc_log SET seq = seq + 1000", "_rhei_cdc_log")]
    [InlineData("INSERT INTO _rhei_cdc_log(seq, tbl, op, pk) VALUES (9223372036854775807, 't', 'I', '1')", "_rhei_cdc_log")]
    [InlineData("DELETE FROM main._rhei_cdc_log WHERE 1", "main._rhei_cdc_log")]
    [InlineData("DELETE FROM \"_RHEI_CONSUMERS\"", "_RHEI_CONSUMERS")]
    [InlineData("DROP TABLE _rhei_cdc_log", "_rhei_cdc_log")]
    [InlineData("ALTER TABLE _rhei_cdc_log RENAME TO old_log", "_rhei_cdc_log")]
    [InlineData("ALTER TABLE t RENAME TO _rhei_mine", "_rhei_mine")]
    [InlineData("CREATE TRIGGER stop BEFORE INSERT ON _rhei_cdc_log BEGIN SELECT RAISE(ABORT, 'no'); END", "_rhei_cdc_log")]
    [InlineData("CREATE TRIGGER wipe AFTER INSERT ON t BEGIN DELETE FROM _rhei_cdc_log; END", "_rhei_cdc_log")]
    [InlineData("CREATE INDEX ix_log ON _rhei_cdc_log(tbl)", "_rhei_cdc_log")]
    public void Writes_and_ddl_on_rheis_own_objects_are_refused(string sql, string named)
    {
        using var db = TestDatabase.Create();
        db.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT)");
        db.Execute("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
        using var connection = db.Open();
        var before = Snapshot(connection);
        Assert.NotEqual(0L, before.LogRows);

        using var command = new RheiCommand(sql, connection);
        var error = Assert.Throws<RheiException>(() => command.ExecuteNonQuery());
        Assert.Contains($"'{named}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(connection));

        // Replication still works afterwards.
        db.Execute("INSERT INTO t VALUES (3, 'c')");
        using var read = new RheiCommand("SELECT count(*) FROM t", connection) { Route = RheiRoute.Olap };
        Assert.Equal(3L, read.ExecuteScalar());
    }

    [Fact]
    public void Reads_of_rheis_tables_stay_allowed_on_sqlite()
    {
        using var db = TestDatabase.Create();
        db.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT)");
        db.Execute("INSERT INTO t VALUES (1, 'a')");
        using var connection = db.Open();
        using var command = new RheiCommand("SELECT count(*) FROM _rhei_cdc_log", connection);
        Assert.Equal(RheiRoute.Oltp, command.ExplainRoute().Target);
        Assert.IsType<long>(command.ExecuteScalar());
    }

    private static (long LogRows, long MaxSeq, string Schema) Snapshot(RheiConnection connection)
    {
        using var sqlite = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={connection.DataSource}");
        sqlite.Open();
        using var command = sqlite.CreateCommand();
        command.CommandText = "SELECT (SELECT count(*) FROM _rhei_cdc_log), (SELECT coalesce(max(seq), 0) FROM _rhei_cdc_log), "
            + "(SELECT group_concat(type || ':' || name || ':' || coalesce(sql, ''), '|') FROM (SELECT * FROM sqlite_master ORDER BY name))";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2));
    }
}
