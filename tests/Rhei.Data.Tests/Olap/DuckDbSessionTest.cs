using System.Diagnostics;
using Rhei.Data.Olap;

namespace Rhei.Data.Tests.Olap;

public class DuckDbSessionTest
{
    [Fact]
    public void Query_reads_bound_parameters_back()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        using DuckDbResultReader reader = session.Query("SELECT ?::BIGINT AS a, ?::VARCHAR AS b", [42L, "hello"]);

        Assert.Equal(2, reader.FieldCount);
        Assert.Equal("a", reader.GetName(0));
        Assert.Equal("BIGINT", reader.GetColumnType(0).TypeName);
        Assert.True(reader.Read());
        Assert.Equal(42L, reader.GetInt64(0));
        Assert.Equal("hello", reader.GetString(1));
        Assert.False(reader.Read());
    }

    [Fact]
    public void ExecuteNonQuery_returns_rows_changed_of_last_statement()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(":memory:");
        using DuckDbSession session = database.Connect();
        session.Execute("CREATE TABLE t (i INTEGER); INSERT INTO t VALUES (1), (2), (3);");

        long changed = session.ExecuteNonQuery("INSERT INTO t VALUES (?); UPDATE t SET i = i + ? WHERE i > 1", [4, 10]);

        Assert.Equal(3, changed);
    }

    [Fact]
    public void Execute_throws_with_duckdb_text_for_syntax_error()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();

        DuckDbException exception = Assert.Throws<DuckDbException>(() => session.Execute("SELEC 1"));

        Assert.Contains("syntax error", exception.Message);
        Assert.Equal(14, exception.DuckDbErrorType);
    }

    [Fact]
    public void Query_throws_with_duckdb_text_for_missing_table()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();

        DuckDbException query = Assert.Throws<DuckDbException>(() => session.Query("SELECT * FROM nope"));
        DuckDbException execute = Assert.Throws<DuckDbException>(() => session.Execute("SELECT * FROM nope"));

        Assert.Contains("Table with name nope does not exist", query.Message);
        Assert.Contains("Table with name nope does not exist", execute.Message);
        Assert.Equal(13, execute.DuckDbErrorType);
    }

    [Fact]
    public void ExecuteNonQuery_runs_statements_that_depend_on_earlier_ones()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();

        long changed = session.ExecuteNonQuery("CREATE TABLE t (i INTEGER); INSERT INTO t VALUES (?), (?)", [1, 2]);

        Assert.Equal(2, changed);
        Assert.Equal(0, session.ExecuteNonQuery(""));
    }

    [Fact]
    public void ExecuteNonQuery_checks_argument_count()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();

        Assert.Throws<ArgumentException>(() => session.ExecuteNonQuery("SELECT ?, ?", [1]));
        Assert.Throws<ArgumentException>(() => session.Query("SELECT 1", [1]));
    }

    [Fact]
    public void Open_applies_config()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null, new Dictionary<string, string> { ["threads"] = "1" });
        using DuckDbSession session = database.Connect();
        using DuckDbResultReader reader = session.Query("SELECT current_setting('threads')");

        Assert.True(reader.Read());
        Assert.Equal(1L, reader.GetInt64(0));
    }

    [Fact]
    public void Open_throws_for_bad_config()
    {
        Assert.Contains("threads", Assert.Throws<DuckDbException>(() => DuckDbDatabase.Open(null, new Dictionary<string, string> { ["threads"] = "abc" })).Message);
        Assert.Contains("no_such_option", Assert.Throws<DuckDbException>(() => DuckDbDatabase.Open(null, new Dictionary<string, string> { ["no_such_option"] = "1" })).Message);
    }

    [Fact]
    public void Dispose_is_harmless_twice_and_use_after_throws()
    {
        DuckDbDatabase database = DuckDbDatabase.Open(null);
        DuckDbSession session = database.Connect();
        session.Dispose();
        session.Dispose();
        session.Interrupt();

        Assert.Throws<ObjectDisposedException>(() => session.Execute("SELECT 1"));
        Assert.Throws<ObjectDisposedException>(() => session.Query("SELECT 1"));
        Assert.Throws<ObjectDisposedException>(() => session.CreateAppender("t"));

        database.Dispose();
        database.Dispose();
        Assert.Throws<ObjectDisposedException>(() => database.Connect());
    }

    [Fact]
    public void Interrupt_cancels_long_query_and_session_stays_usable()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        Task<DuckDbResultReader> running = Task.Run(
            () => session.Query("SELECT count(*) FROM range(10000000000) a CROSS JOIN range(1000) b WHERE a.range + b.range > 0"));

        // Interrupting before the query starts is lost, so keep interrupting until it ends.
        var watch = Stopwatch.StartNew();
        while (!running.IsCompleted && watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            session.Interrupt();
            Thread.Sleep(50);
        }

        AggregateException failure = Assert.Throws<AggregateException>(() => running.Wait());
        OperationCanceledException canceled = Assert.IsType<OperationCanceledException>(failure.InnerException, exactMatch: false);
        DuckDbException inner = Assert.IsType<DuckDbException>(canceled.InnerException);
        Assert.Equal(29, inner.DuckDbErrorType);
        Assert.Contains("Interrupted", inner.Message);

        using DuckDbResultReader reader = session.Query("SELECT 42");
        Assert.True(reader.Read());
        Assert.Equal(42L, reader.GetInt64(0));
    }

    [Fact]
    public void Interrupt_reported_by_a_failed_prepare_is_a_cancellation_with_the_interrupt_type()
    {
        // duckdb_prepare_error has no error type: an interrupt that lands while DuckDB binds or plans arrives as text.
        OperationCanceledException canceled = Assert.Throws<OperationCanceledException>(
            () => DuckDbErrors.Throw("INTERRUPT Error: Interrupted!", errorType: null));
        DuckDbException inner = Assert.IsType<DuckDbException>(canceled.InnerException);
        Assert.Equal(DuckDbException.InterruptErrorType, inner.DuckDbErrorType);

        DuckDbException parse = Assert.Throws<DuckDbException>(
            () => DuckDbErrors.Throw("Parser Error: syntax error at or near \"Interrupted\"", errorType: null));
        Assert.Null(parse.DuckDbErrorType);
    }
}
