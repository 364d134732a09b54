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

    [Fact]
    public void Chunk_path_round_trips_every_supported_type_with_nulls_across_chunks()
    {
        const int Rows = 5000;
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        session.Execute("CREATE TABLE t (id BIGINT, i INTEGER, d DOUBLE, s VARCHAR, b BLOB, f BOOLEAN)");
        using (DuckDbAppender appender = session.CreateAppender("t"))
        {
            for (int r = 0; r < Rows; r++)
            {
                appender.Append((long)r);
                bool isNull = r % 7 == 3;
                if (isNull)
                {
                    appender.AppendNull();
                    appender.AppendNull();
                    appender.AppendNull();
                    appender.AppendNull();
                    appender.AppendNull();
                }
                else
                {
                    appender.AppendValue(r - 2500);
                    appender.Append(r * 0.25);
                    appender.Append(StringFor(r));
                    appender.Append(BlobFor(r));
                    appender.Append(r % 2 == 0);
                }

                appender.EndRow();
            }

            appender.Close();
        }

        using DuckDbResultReader reader = session.Query("SELECT id, i, d, s, b, f FROM t ORDER BY id");
        int row = 0;
        while (reader.Read())
        {
            Assert.Equal((long)row, reader.GetInt64(0));
            if (row % 7 == 3)
            {
                for (int c = 1; c < 6; c++)
                {
                    Assert.True(reader.IsDBNull(c), $"row {row} column {c}");
                }
            }
            else
            {
                Assert.Equal(row - 2500, (int)reader.GetInt64(1));
                Assert.Equal(row * 0.25, reader.GetDouble(2));
                Assert.Equal(StringFor(row), reader.GetString(3));
                Assert.Equal(BlobFor(row), reader.GetBytes(4));
                Assert.Equal(row % 2 == 0, (bool)reader.GetNativeValue(5));
            }

            row++;
        }

        Assert.Equal(Rows, row);
    }

    [Fact]
    public void Empty_string_and_empty_blob_are_not_null()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        session.Execute("CREATE TABLE t (id BIGINT, s VARCHAR, b BLOB)");
        using (DuckDbAppender appender = session.CreateAppender("t"))
        {
            appender.Append(1L);
            appender.Append(string.Empty);
            appender.Append(ReadOnlySpan<byte>.Empty);
            appender.EndRow();
            appender.Append(2L);
            appender.AppendNull();
            appender.AppendNull();
            appender.EndRow();
            appender.Close();
        }

        using DuckDbResultReader reader = session.Query("SELECT s IS NULL, length(s), b IS NULL, octet_length(b) FROM t ORDER BY id");
        Assert.True(reader.Read());
        Assert.False((bool)reader.GetNativeValue(0));
        Assert.Equal(0L, reader.GetInt64(1));
        Assert.False((bool)reader.GetNativeValue(2));
        Assert.Equal(0L, reader.GetInt64(3));
        Assert.True(reader.Read());
        Assert.True((bool)reader.GetNativeValue(0));
        Assert.True((bool)reader.GetNativeValue(2));
    }

    [Fact]
    public void Failing_cast_names_the_column_and_leaves_the_table_unchanged()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        session.Execute("CREATE TABLE t (s VARCHAR, i BIGINT)");
        using (DuckDbAppender appender = session.CreateAppender("t"))
        {
            // Several chunks already handed to DuckDB but not flushed, plus a partial chunk.
            for (int r = 0; r < 5000; r++)
            {
                appender.Append("row");
                appender.Append((long)r);
                appender.EndRow();
            }

            appender.Append("bad");
            DuckDbException exception = Assert.Throws<DuckDbException>(() => appender.Append("abc"));
            Assert.Contains("Column 1 (BIGINT)", exception.Message);
            Assert.Contains("abc", exception.Message);
            Assert.Contains("discarded", exception.Message);
            appender.Close();
        }

        Assert.Equal(0L, Count(session, "t"));
    }

    [Fact]
    public void Mismatched_values_are_cast_by_duckdb_and_keep_row_order()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        session.Execute("CREATE TABLE t (seq INTEGER, v BIGINT, s VARCHAR)");
        using (DuckDbAppender appender = session.CreateAppender("t"))
        {
            for (int r = 0; r < 3000; r++)
            {
                appender.Append((long)r);
                if (r == 1000)
                {
                    // A string SQLite kept in an INTEGER column; DuckDB casts it like any per-value append.
                    appender.Append("1000");
                    appender.Append(42L);
                }
                else
                {
                    appender.Append((long)r);
                    appender.Append($"s{r}");
                }

                appender.EndRow();
            }

            appender.Close();
        }

        // No ORDER BY: insertion order must survive the switch between chunk and per-value appends.
        using DuckDbResultReader reader = session.Query("SELECT seq, v, s FROM t");
        int row = 0;
        while (reader.Read())
        {
            Assert.Equal(row, (int)reader.GetInt64(0));
            Assert.Equal((long)row, reader.GetInt64(1));
            Assert.Equal(row == 1000 ? "42" : $"s{row}", reader.GetString(2));
            row++;
        }

        Assert.Equal(3000, row);
    }

    [Fact]
    public void Unicode_and_long_strings_round_trip()
    {
        string[] values =
        [
            "a", "exactly12byt", "thirteen byte", "héllo wörld ünïcödé", "日本語のテキスト", "😀😀😀", "😀😀😀x",
            new string('x', 5000), "tab\tand\nnewline",
        ];
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        session.Execute("CREATE TABLE t (id BIGINT, s VARCHAR)");
        using (DuckDbAppender appender = session.CreateAppender("t"))
        {
            for (int r = 0; r < 4100; r++)
            {
                appender.Append((long)r);
                appender.Append(values[r % values.Length]);
                appender.EndRow();
            }

            appender.Close();
        }

        using DuckDbResultReader reader = session.Query("SELECT id, s FROM t ORDER BY id");
        int row = 0;
        while (reader.Read())
        {
            Assert.Equal(values[row % values.Length], reader.GetString(1));
            row++;
        }

        Assert.Equal(4100, row);
    }

    [Fact]
    public void Close_hands_over_a_partial_chunk_and_Dispose_without_Close_appends_nothing()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        session.Execute("CREATE TABLE t (i BIGINT, s VARCHAR)");
        using (DuckDbAppender appender = session.CreateAppender("t"))
        {
            for (int r = 0; r < 2049; r++)
            {
                appender.Append((long)r);
                appender.Append("x");
                appender.EndRow();
            }

            appender.Close();
            Assert.Throws<InvalidOperationException>(() => appender.Append(1L));
        }

        Assert.Equal(2049L, Count(session, "t"));

        using (DuckDbAppender appender = session.CreateAppender("t"))
        {
            // More than one full chunk has reached DuckDB's pending rows; none of it may be committed.
            for (int r = 0; r < 4500; r++)
            {
                appender.Append((long)r);
                appender.Append("y");
                appender.EndRow();
            }
        }

        Assert.Equal(2049L, Count(session, "t"));
    }

    [Fact]
    public void Tables_with_other_types_use_per_value_appends()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        session.Execute("CREATE TABLE t (i BIGINT, ts TIMESTAMP, n DECIMAL(10, 2))");
        using (DuckDbAppender appender = session.CreateAppender("t"))
        {
            appender.Append(1L);
            appender.AppendValue(new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Unspecified));
            appender.AppendValue(12.34m);
            appender.EndRow();
            appender.Close();
        }

        using DuckDbResultReader reader = session.Query("SELECT CAST(ts AS VARCHAR), CAST(n AS VARCHAR) FROM t");
        Assert.True(reader.Read());
        Assert.Equal("2024-05-06 07:08:09", reader.GetString(0));
        Assert.Equal("12.34", reader.GetString(1));
    }

    private static string StringFor(int row) => row % 3 == 0 ? $"short{row}" : $"a longer string than twelve bytes #{row} ✓";

    private static byte[] BlobFor(int row) => row % 2 == 0 ? [(byte)row, 0, 255] : Enumerable.Range(0, 40).Select(i => (byte)(i + row)).ToArray();

    [Fact]
    public void AppendUtf8_matches_appending_the_decoded_string_in_chunk_and_row_mode()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        session.Execute("CREATE TABLE t (id BIGINT, s VARCHAR)");
        byte[][] texts =
        [
            [],
            "short"u8.ToArray(),
            "longer than twelve bytes, ünïcødé"u8.ToArray(),
            [0x61, 0xFF, 0x62], // ill-formed: becomes a, U+FFFD, b as Encoding.UTF8 decodes it
        ];
        using (DuckDbAppender appender = session.CreateAppender("t"))
        {
            for (int i = 0; i < texts.Length; i++)
            {
                appender.Append((long)i);
                appender.AppendUtf8(texts[i]);
                appender.EndRow();
            }

            // A string into the BIGINT column switches to per-value appends; UTF-8 must still arrive intact.
            appender.Append("4");
            appender.AppendUtf8("after the switch"u8);
            appender.EndRow();
            appender.Close();
        }

        using DuckDbResultReader reader = session.Query("SELECT s FROM t ORDER BY id");
        List<string> actual = [];
        while (reader.Read())
        {
            actual.Add(reader.GetString(0));
        }

        Assert.Equal([.. texts.Select(t => System.Text.Encoding.UTF8.GetString(t)), "after the switch"], actual);
        Assert.Equal("a\uFFFDb", actual[3]);
    }

    private static long Count(DuckDbSession session, string table)
    {
        using DuckDbResultReader reader = session.Query($"SELECT count(*) FROM {table}");
        Assert.True(reader.Read());
        return reader.GetInt64(0);
    }
}
