using Rhei.Data.Olap;

namespace Rhei.Data.Tests.Olap;

public class DuckDbResultReaderTest
{
    [Theory]
    [InlineData(5_000)]
    [InlineData(100_000)]
    public void Read_crosses_chunks_and_sums_exactly(int rows)
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        using DuckDbResultReader reader = session.Query(
            "SELECT i, i * 1.5 AS d, 'row number ' || i AS s, CASE WHEN i % 7 = 0 THEN NULL ELSE i END AS n FROM range(?) t(i)", [rows]);

        long count = 0, sum = 0, nullableSum = 0, nulls = 0;
        double doubleSum = 0;
        while (reader.Read())
        {
            long i = reader.GetInt64(0);
            Assert.Equal(count, i);
            sum += i;
            doubleSum += reader.GetDouble(1);
            if (reader.IsDBNull(3))
            {
                nulls++;
            }
            else
            {
                nullableSum += reader.GetInt64(3);
            }

            if (i % 997 == 0)
            {
                Assert.Equal("row number " + i, reader.GetString(2));
            }

            count++;
        }

        long n = rows;
        Assert.Equal(n, count);
        Assert.Equal(n * (n - 1) / 2, sum);
        Assert.Equal(1.5 * (n * (n - 1) / 2), doubleSum);
        long sevens = ((n - 1) / 7) + 1;
        Assert.Equal(sevens, nulls);
        Assert.Equal((n * (n - 1) / 2) - (7 * (sevens - 1) * sevens / 2), nullableSum);
    }

    [Fact]
    public void Read_returns_false_for_empty_result()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        using DuckDbResultReader reader = session.Query("SELECT 1 AS a WHERE false");

        Assert.Equal(1, reader.FieldCount);
        Assert.False(reader.Read());
        Assert.False(reader.Read());
        Assert.Throws<InvalidOperationException>(() => reader.GetInt64(0));
    }

    [Fact]
    public void GetColumnType_reports_decimal_width_and_scale()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        using DuckDbResultReader reader = session.Query("SELECT 1.5::DECIMAL(18,3) AS d, 'x' AS s, 1::BIGINT AS b");

        Assert.Equal(new DuckDbColumnType(DuckDbTypeId.Decimal, 18, 3), reader.GetColumnType(0));
        Assert.Equal("DECIMAL(18,3)", reader.GetColumnType(0).TypeName);
        Assert.Equal("VARCHAR", reader.GetColumnType(1).TypeName);
        Assert.Equal("BIGINT", reader.GetColumnType(2).TypeName);
        Assert.Equal(typeof(double), reader.GetSqliteFieldType(0));
    }

    [Fact]
    public void GetSqliteValue_reads_enum_as_string()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        session.Execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy'); CREATE TABLE t (m mood); INSERT INTO t VALUES ('happy'), (NULL), ('sad')");
        using DuckDbResultReader reader = session.Query("SELECT m FROM t ORDER BY rowid");

        Assert.True(reader.Read());
        Assert.Equal("happy", reader.GetSqliteValue(0));
        Assert.Equal("happy", reader.GetNativeValue(0));
        Assert.Equal(typeof(string), reader.GetSqliteFieldType(0));
        Assert.True(reader.Read());
        Assert.Equal(DBNull.Value, reader.GetSqliteValue(0));
        Assert.True(reader.Read());
        Assert.Equal("sad", reader.GetString(0));
    }

    [Fact]
    public void GetSqliteValue_formats_other_timestamp_precisions()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        using DuckDbResultReader reader = session.Query(
            "SELECT '2024-01-02 03:04:05.123456789'::TIMESTAMP_NS, '2024-01-02 03:04:05.5'::TIMESTAMP_MS, '2024-01-02 03:04:05'::TIMESTAMP_S, 'infinity'::TIMESTAMP, '-infinity'::DATE");

        Assert.True(reader.Read());
        Assert.Equal("2024-01-02 03:04:05.123456789", reader.GetSqliteValue(0));
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5).AddTicks(1_234_567), reader.GetNativeValue(0));
        Assert.Equal("2024-01-02 03:04:05.500", reader.GetSqliteValue(1));
        Assert.Equal("2024-01-02 03:04:05", reader.GetSqliteValue(2));
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5), reader.GetNativeValue(2));
        Assert.Equal("infinity", reader.GetSqliteValue(3));
        Assert.Equal("-infinity", reader.GetSqliteValue(4));
    }

    [Fact]
    public void GetSqliteValue_rejects_nested_types_with_type_name()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        using DuckDbResultReader reader = session.Query("SELECT [1, 2] AS l, {'a': 1} AS s");

        Assert.True(reader.Read());
        NotSupportedException list = Assert.Throws<NotSupportedException>(() => reader.GetSqliteValue(0));
        Assert.Contains("LIST", list.Message);
        Assert.Contains("VARCHAR", list.Message);
        NotSupportedException structure = Assert.Throws<NotSupportedException>(() => reader.GetNativeValue(1));
        Assert.Contains("STRUCT", structure.Message);
    }

    [Fact]
    public void GetInt64_throws_InvalidCast_for_null_and_text()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        using DuckDbResultReader reader = session.Query("SELECT NULL::BIGINT AS n, 'abc' AS s");

        Assert.True(reader.Read());
        Assert.Contains("IsDBNull", Assert.Throws<InvalidCastException>(() => reader.GetInt64(0)).Message);
        Assert.Throws<InvalidCastException>(() => reader.GetInt64(1));
    }

    [Fact]
    public void Dispose_is_harmless_twice_and_use_after_throws()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        DuckDbResultReader reader = session.Query("SELECT 1");

        reader.Dispose();
        reader.Dispose();

        Assert.Throws<ObjectDisposedException>(() => reader.Read());
        Assert.Throws<ObjectDisposedException>(() => reader.FieldCount);
    }
}
