using System.Data.Common;
using System.Diagnostics;
using Rhei.Data.Olap;

namespace Rhei.Data.Tests.Olap;

/// <summary>Issue 9.21: the mirror's DuckDB reaches no file, network location or extension beyond its own files.</summary>
public class DuckDbLockDownTest
{
    private static readonly string[] Statements =
    [
        "SELECT * FROM read_text('{secret}')",
        "SELECT * FROM read_csv('{secret}')",
        "SELECT * FROM read_blob('{secret}')",
        "SELECT * FROM glob('{dir}/*')",
        "COPY (SELECT 42 AS x) TO '{out}'",
        "ATTACH '{out}' AS other",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "SET autoinstall_known_extensions = true",
        "SET lock_configuration = false",
        "RESET enable_external_access",
    ];

    public static TheoryData<string> FileStatements => new(Statements);

    [Theory]
    [MemberData(nameof(FileStatements))]
    public async Task Forced_to_DuckDB_the_statement_fails_with_a_RheiException_and_touches_no_file(string template)
    {
        await using var db = TestDatabase.Create();
        string sql = Prepare(db, template, out string secret, out string output);

        using var connection = db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Route = RheiRoute.Olap;

        var error = Assert.Throws<RheiException>(() =>
        {
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
            }
        });

        Assert.False(File.Exists(output), "DuckDB wrote " + output);
        Assert.DoesNotContain("top secret", error.Message);
        AssertStillLocked(connection, secret);
    }

    /// <summary>The same without ATTACH: routed to SQLite, that is SQLite's own ATTACH, which creates the file.</summary>
    public static TheoryData<string> AutoStatements => new(Statements.Where(sql => !sql.StartsWith("ATTACH", StringComparison.Ordinal)));

    [Fact]
    public async Task Forced_reads_of_files_fail_on_DuckDB_itself()
    {
        await using var db = TestDatabase.Create();
        string sql = Prepare(db, "SELECT * FROM read_text('{secret}')", out _, out _);
        using var connection = db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Route = RheiRoute.Olap;

        var error = Assert.Throws<RheiException>(() => command.ExecuteScalar());

        Assert.Equal(RheiException.DuckDbEngineName, error.Engine);
        Assert.Contains("disabled by configuration", error.Message);
    }

    [Theory]
    [MemberData(nameof(AutoStatements))]
    public async Task Auto_routed_or_hinted_the_statement_reads_and_writes_no_file(string template)
    {
        await using var db = TestDatabase.Create();
        string sql = Prepare(db, template, out string secret, out string output);

        using var connection = db.Open();
        foreach (string text in new[] { sql, "/*+ rhei:olap */ " + sql })
        {
            using var command = connection.CreateCommand();
            command.CommandText = text;
            string? answer = null;
            try
            {
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    answer += reader.GetValue(0)?.ToString();
                }
            }
            catch (DbException)
            {
                // Refused by DuckDB's lock-down or unknown to SQLite: either way nothing was read.
            }

            Assert.DoesNotContain("top secret", answer ?? string.Empty);
            Assert.False(File.Exists(output), "a file was written by: " + text);
        }

        AssertStillLocked(connection, secret);
    }

    [Fact]
    public async Task Olap_External_Access_opts_in_to_DuckDB_file_functions()
    {
        await using var db = TestDatabase.Create("Sync Interval=0;Olap External Access=true");
        string sql = Prepare(db, "SELECT content FROM read_text('{secret}')", out _, out _);
        using var connection = db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Route = RheiRoute.Olap;

        Assert.Equal("top secret\n", command.ExecuteScalar());

        using var set = connection.CreateCommand();
        set.CommandText = "SET autoinstall_known_extensions = true";
        set.Route = RheiRoute.Olap;
        Assert.Throws<RheiException>(() => set.ExecuteNonQuery());
    }

    [Fact]
    public void A_missing_native_library_gives_a_RheiException_naming_the_runtime()
    {
        var error = DuckDbDatabase.NativeLibraryMissing(new DllNotFoundException("Unable to load shared library 'duckdb'"));

        Assert.IsType<RheiException>(error);
        Assert.Equal(RheiException.DuckDbEngineName, error.Engine);
        Assert.Contains(System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier, error.Message);
        Assert.Contains("Olap=None", error.Message);
        Assert.IsType<DllNotFoundException>(error.InnerException);
    }

    [Theory]
    [InlineData("md:x")]
    [InlineData("md:x?motherduck_token=abc123")]
    [InlineData("motherduck:x")]
    [InlineData("s3://bucket/x.duckdb")]
    [InlineData("http://host.invalid/x.duckdb")]
    [InlineData("https://host.invalid/x.duckdb")]
    public void A_remote_Olap_Path_is_refused_at_open_without_a_network_attempt(string olapPath)
    {
        var directory = Path.Combine(Path.GetTempPath(), "rhei-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var connectionString = $"Data Source={Path.Combine(directory, "s.db")};Olap Path={olapPath};Sync Interval=0";
        try
        {
            var watch = Stopwatch.StartNew();
            var error = Assert.Throws<RheiException>(() =>
            {
                using var connection = new RheiConnection(connectionString);
                connection.Open();
            });
            watch.Stop();

            Assert.Contains("is not a local file", error.Message);
            Assert.DoesNotContain("abc123", error.Message);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        }
        finally
        {
            // This engine only: ClearAllPools would also shut down the engines of tests running in parallel.
            RheiConnection.ClearPool(new RheiConnection(connectionString));
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_durable_mirror_still_syncs_restarts_and_resumes()
    {
        var directory = Path.Combine(Path.GetTempPath(), "rhei-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        string connectionString = $"Data Source={Path.Combine(directory, "s.db")};Olap Path={Path.Combine(directory, "m.duckdb")};Sync Interval=0";
        try
        {
            await using (var source = RheiDataSource.Create(connectionString))
            {
                using var connection = source.OpenConnection();
                Execute(connection, "CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
                Execute(connection, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) INSERT INTO t SELECT i, i FROM n");
                Assert.Equal(5000L, CountOnDuckDb(connection));
            }

            await using (var source = RheiDataSource.Create(connectionString))
            {
                using var connection = source.OpenConnection();
                Assert.Equal(5000L, CountOnDuckDb(connection));
                Execute(connection, "INSERT INTO t VALUES (5001, 1)");
                Assert.Equal(5001L, CountOnDuckDb(connection));
            }

            Assert.True(File.Exists(Path.Combine(directory, "m.duckdb")));
        }
        finally
        {
            // Both engines came from RheiDataSource.Create and are disposed above; RheiConnection.ClearAllPools would
            // shut down nothing of this test's, only the shared engines of tests running in parallel.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void OpenMirror_keeps_SQLite_semantics_and_refuses_SET()
    {
        using DuckDbDatabase database = DuckDbDatabase.OpenMirror(null);
        using DuckDbSession session = database.Connect();
        using (DuckDbResultReader result = session.Query("SELECT 7 / 2, 1 / 0"))
        {
            Assert.True(result.Read());
            Assert.Equal(3L, result.GetInt64(0));
            Assert.True(result.IsDBNull(1));
        }

        var error = Assert.Throws<DuckDbException>(() => session.Execute("SET integer_division = false"));
        Assert.Contains("locked", error.Message);
    }

    private static string Prepare(TestDatabase db, string template, out string secret, out string output)
    {
        secret = Path.Combine(db.Directory, "secret.txt");
        File.WriteAllText(secret, "top secret\n");
        output = Path.Combine(db.Directory, "written.out");
        db.Execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
        db.Execute("INSERT INTO t VALUES (1, 10)");
        return template.Replace("{secret}", secret, StringComparison.Ordinal)
            .Replace("{out}", output, StringComparison.Ordinal)
            .Replace("{dir}", db.Directory, StringComparison.Ordinal);
    }

    /// <summary>After the attempt, DuckDB still answers and still refuses to read the file.</summary>
    private static void AssertStillLocked(RheiConnection connection, string secret)
    {
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM t";
        count.Route = RheiRoute.Olap;
        Assert.Equal(1L, count.ExecuteScalar());

        using var read = connection.CreateCommand();
        read.CommandText = $"SELECT * FROM read_text('{secret}')";
        read.Route = RheiRoute.Olap;
        Assert.Throws<RheiException>(() => read.ExecuteScalar());
    }

    private static void Execute(RheiConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long CountOnDuckDb(RheiConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM t";
        command.Route = RheiRoute.Olap;
        using var reader = command.ExecuteReader();
        Assert.Equal(RheiRoute.Olap, reader.Route);
        Assert.True(reader.Read());
        return reader.GetInt64(0);
    }
}
