using System.Diagnostics;
using Rhei.Data.Olap;

namespace Rhei.Data.Tests.Olap;

public class DuckDbAppenderTest
{
    [Fact]
    public void Rows_are_visible_after_Close()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        session.Execute("CREATE TABLE t (i BIGINT, s VARCHAR)");
        using (DuckDbAppender appender = session.CreateAppender("t"))
        {
            for (int i = 0; i < 5000; i++)
            {
                appender.Append((long)i);
                appender.Append($"value {i}");
                appender.EndRow();
            }

            appender.Close();
        }

        Assert.Equal(5000L, Count(session, "t"));
    }

    [Fact]
    public void Dispose_without_Close_discards_rows()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        session.Execute("CREATE TABLE t (i BIGINT)");
        DuckDbAppender appender = session.CreateAppender("t");
        appender.Append(1L);
        appender.EndRow();
        appender.Dispose();
        appender.Dispose();

        Assert.Equal(0L, Count(session, "t"));
        Assert.Throws<ObjectDisposedException>(() => appender.Append(2L));
    }

    [Fact]
    public void Flush_makes_rows_visible_before_Close()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        session.Execute("CREATE TABLE t (i BIGINT)");
        using DuckDbAppender appender = session.CreateAppender("t");
        appender.Append(1L);
        appender.EndRow();
        appender.Flush();

        Assert.Equal(1L, Count(session, "t"));
    }

    [Fact]
    public void EndRow_failure_throws_duckdb_text_and_clears_partial_row()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        session.Execute("CREATE TABLE t (i BIGINT, s VARCHAR)");
        using (DuckDbAppender appender = session.CreateAppender("t"))
        {
            appender.Append(1L);
            DuckDbException exception = Assert.Throws<DuckDbException>(() => appender.EndRow());
            Assert.Contains("EndRow", exception.Message);
            Assert.Contains("discarded", exception.Message);

            appender.Append(2L);
            appender.Append("two");
            appender.EndRow();
            appender.Close();
        }

        using DuckDbResultReader reader = session.Query("SELECT i, s FROM t");
        Assert.True(reader.Read());
        Assert.Equal(2L, reader.GetInt64(0));
        Assert.Equal("two", reader.GetString(1));
        Assert.False(reader.Read());
    }

    [Fact]
    public void Close_reports_constraint_violation()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        session.Execute("CREATE TABLE t (i BIGINT PRIMARY KEY)");
        using DuckDbAppender appender = session.CreateAppender("t");
        appender.Append(1L);
        appender.EndRow();
        appender.Append(1L);
        appender.EndRow();

        DuckDbException exception = Assert.Throws<DuckDbException>(() => appender.Close());
        Assert.Contains("constraint", exception.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void CreateAppender_throws_for_missing_table()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();

        DuckDbException exception = Assert.Throws<DuckDbException>(() => session.CreateAppender("nope"));
        Assert.Contains("nope", exception.Message);
        Assert.Equal(13, exception.DuckDbErrorType);
    }

    [Fact]
    public void CreateAppender_uses_schema()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        session.Execute("CREATE SCHEMA s; CREATE TABLE s.t (i BIGINT)");
        using (DuckDbAppender appender = session.CreateAppender("t", "s"))
        {
            appender.Append(1L);
            appender.EndRow();
            appender.Close();
        }

        Assert.Equal(1L, Count(session, "s.t"));
    }

    [Fact]
    public void Append_is_fast_for_narrow_rows()
    {
        const int Rows = 1_000_000;
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        session.Execute("CREATE TABLE t (i BIGINT, d DOUBLE, s VARCHAR)");
        var watch = Stopwatch.StartNew();
        using (DuckDbAppender appender = session.CreateAppender("t"))
        {
            for (int i = 0; i < Rows; i++)
            {
                appender.Append((long)i);
                appender.Append(i * 0.5);
                appender.Append("abc");
                appender.EndRow();
            }

            appender.Close();
        }

        watch.Stop();
        Assert.Equal((long)Rows, Count(session, "t"));

        // A loose bound that catches per-value allocations or native round trips gone wrong on a shared machine.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"Appending {Rows} rows took {watch.Elapsed}.");
    }

    private static long Count(DuckDbSession session, string table)
    {
        using DuckDbResultReader reader = session.Query($"SELECT count(*) FROM {table}");
        Assert.True(reader.Read());
        return reader.GetInt64(0);
    }
}
