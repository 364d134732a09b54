using System.Numerics;
using Rhei.Data.Olap;

namespace Rhei.Data.Tests.Olap;

public class DuckDbRoundTripTest
{
    private static readonly long IntervalMicros = (4 * 3_600_000_000L) + 5_000_000L + 500_000L;

    // SQL type, value written, expected GetNativeValue, expected GetSqliteValue (null: DuckDB's own text form).
    public static TheoryData<string, object, object, object?> Values => new()
    {
        { "BOOLEAN", true, true, 1L },
        { "BOOLEAN", false, false, 0L },
        { "TINYINT", (sbyte)-8, (sbyte)-8, -8L },
        { "SMALLINT", (short)-300, (short)-300, -300L },
        { "INTEGER", -70_000, -70_000, -70_000L },
        { "BIGINT", -9_000_000_000_000L, -9_000_000_000_000L, -9_000_000_000_000L },
        { "UTINYINT", (byte)200, (byte)200, 200L },
        { "USMALLINT", (ushort)60_000, (ushort)60_000, 60_000L },
        { "UINTEGER", 4_000_000_000u, 4_000_000_000u, 4_000_000_000L },
        { "UBIGINT", 42UL, 42UL, 42L },
        { "UBIGINT", ulong.MaxValue, ulong.MaxValue, (double)ulong.MaxValue },
        { "HUGEINT", new BigInteger(-123), new BigInteger(-123), -123L },
        { "HUGEINT", (BigInteger)Int128.MaxValue, (BigInteger)Int128.MaxValue, (double)Int128.MaxValue },
        { "FLOAT", 1.5f, 1.5f, 1.5 },
        { "DOUBLE", 0.1, 0.1, 0.1 },
        { "DECIMAL(4,1)", 123.4m, 123.4m, 123.4 },
        { "DECIMAL(9,2)", -1_234_567.89m, -1_234_567.89m, -1_234_567.89 },
        { "DECIMAL(18,3)", 123_456_789_012_345.678m, 123_456_789_012_345.678m, 123_456_789_012_345.678 },
        { "DECIMAL(38,10)", 1_234_567_890_123_456_789.0123456789m, 1_234_567_890_123_456_789.0123456789m, 1_234_567_890_123_456_789.0123456789 },
        { "VARCHAR", "", "", "" },
        { "VARCHAR", "short", "short", "short" },
        { "VARCHAR", "exactly12byt", "exactly12byt", "exactly12byt" },
        { "VARCHAR", "a string that is longer than twelve bytes", "a string that is longer than twelve bytes", "a string that is longer than twelve bytes" },
        { "VARCHAR", "ünïcødé ✓ 日本語 🦆", "ünïcødé ✓ 日本語 🦆", "ünïcødé ✓ 日本語 🦆" },
        { "BLOB", new byte[] { 0, 1, 2, 255 }, new byte[] { 0, 1, 2, 255 }, new byte[] { 0, 1, 2, 255 } },
        { "BLOB", Enumerable.Range(0, 40).Select(i => (byte)i).ToArray(), Enumerable.Range(0, 40).Select(i => (byte)i).ToArray(), Enumerable.Range(0, 40).Select(i => (byte)i).ToArray() },
        { "DATE", new DateOnly(2024, 2, 29), new DateOnly(2024, 2, 29), "2024-02-29" },
        { "DATE", new DateOnly(1, 1, 1), new DateOnly(1, 1, 1), "0001-01-01" },
        { "TIME", new TimeOnly(1, 2, 3), new TimeOnly(1, 2, 3), "01:02:03" },
        { "TIME", new TimeOnly(13, 45, 30, 250), new TimeOnly(13, 45, 30, 250), "13:45:30.250" },
        { "TIME", new TimeOnly(13, 45, 30, 123, 456), new TimeOnly(13, 45, 30, 123, 456), "13:45:30.123456" },
        { "TIMESTAMP", new DateTime(2024, 3, 5, 6, 7, 8), new DateTime(2024, 3, 5, 6, 7, 8), "2024-03-05 06:07:08" },
        { "TIMESTAMP", new DateTime(1969, 12, 31, 23, 59, 59, 9), new DateTime(1969, 12, 31, 23, 59, 59, 9), "1969-12-31 23:59:59.009" },
        { "TIMESTAMP", new DateTime(2024, 3, 5, 6, 7, 8, 9, 120), new DateTime(2024, 3, 5, 6, 7, 8, 9, 120), "2024-03-05 06:07:08.00912" },
        { "TIMESTAMPTZ", new DateTimeOffset(2024, 3, 5, 6, 7, 8, 500, TimeSpan.FromHours(2)), new DateTimeOffset(2024, 3, 5, 4, 7, 8, 500, TimeSpan.Zero), "2024-03-05 04:07:08.500" },
        { "UUID", Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), "0f8fad5b-d9cb-469f-a165-70867728950e" },
        { "UUID", Guid.Parse("ffffffff-0000-0000-0000-000000000001"), Guid.Parse("ffffffff-0000-0000-0000-000000000001"), "ffffffff-0000-0000-0000-000000000001" },
        { "INTERVAL", new DuckDbInterval(14, 3, IntervalMicros), new DuckDbInterval(14, 3, IntervalMicros), null },
        { "INTERVAL", new DuckDbInterval(-1, 0, -1_500_000), new DuckDbInterval(-1, 0, -1_500_000), null },
        { "INTERVAL", TimeSpan.FromHours(26), new DuckDbInterval(0, 1, 7_200_000_000), null },
        { "INTERVAL", new DuckDbInterval(0, 0, 0), new DuckDbInterval(0, 0, 0), null },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Value_round_trips_when_bound_as_parameter(string sqlType, object value, object expectedNative, object? expectedSqlite)
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        session.Execute($"CREATE TABLE t (v {sqlType})");
        Assert.Equal(1, session.ExecuteNonQuery("INSERT INTO t VALUES (?)", [value]));
        Assert.Equal(1, session.ExecuteNonQuery("INSERT INTO t VALUES (?)", [null]));

        AssertRows(session, expectedNative, expectedSqlite);
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void Value_round_trips_when_appended(string sqlType, object value, object expectedNative, object? expectedSqlite)
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        session.Execute($"CREATE TABLE t (v {sqlType})");
        using (DuckDbAppender appender = session.CreateAppender("t"))
        {
            Assert.Equal(1, appender.ColumnCount);
            appender.AppendValue(value);
            appender.EndRow();
            appender.AppendNull();
            appender.EndRow();
            appender.Close();
        }

        AssertRows(session, expectedNative, expectedSqlite);
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void Value_round_trips_when_selected_as_parameter(string sqlType, object value, object expectedNative, object? expectedSqlite)
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        using DuckDbResultReader reader = session.Query($"SELECT CAST(? AS {sqlType}) AS v, CAST(v AS VARCHAR) FROM (SELECT CAST(? AS {sqlType}) AS v)", [value, value]);

        Assert.True(reader.Read());
        AssertValue(reader, expectedNative, expectedSqlite);
    }

    [Fact]
    public void Typed_appends_round_trip()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        session.Execute("CREATE TABLE t (b BOOLEAN, i BIGINT, d DOUBLE, s VARCHAR, x BLOB)");
        using (DuckDbAppender appender = session.CreateAppender("t"))
        {
            appender.Append(true);
            appender.Append(long.MinValue);
            appender.Append(double.NaN);
            appender.Append(new string('x', 2000));
            appender.Append(ReadOnlySpan<byte>.Empty);
            appender.EndRow();
            appender.Close();
        }

        using DuckDbResultReader reader = session.Query("SELECT * FROM t");
        Assert.True(reader.Read());
        Assert.Equal(1L, reader.GetSqliteValue(0));
        Assert.Equal(long.MinValue, reader.GetInt64(1));
        Assert.True(double.IsNaN(reader.GetDouble(2)));
        Assert.Equal(new string('x', 2000), reader.GetString(3));
        Assert.Empty(reader.GetBytes(4));
        Assert.False(reader.IsDBNull(4));
    }

    private static void AssertRows(DuckDbSession session, object expectedNative, object? expectedSqlite)
    {
        using DuckDbResultReader reader = session.Query("SELECT v, CAST(v AS VARCHAR) FROM t ORDER BY rowid");
        Assert.True(reader.Read());
        AssertValue(reader, expectedNative, expectedSqlite);

        Assert.True(reader.Read());
        Assert.True(reader.IsDBNull(0));
        Assert.Equal(DBNull.Value, reader.GetNativeValue(0));
        Assert.Equal(DBNull.Value, reader.GetSqliteValue(0));
        Assert.False(reader.Read());
    }

    private static void AssertValue(DuckDbResultReader reader, object expectedNative, object? expectedSqlite)
    {
        Assert.False(reader.IsDBNull(0));
        object native = reader.GetNativeValue(0);
        Assert.Equal(expectedNative.GetType(), native.GetType());
        Assert.Equal(expectedNative, native);
        if (native is DateTimeOffset offset)
        {
            Assert.Equal(TimeSpan.Zero, offset.Offset);
        }

        if (native is DateTime dateTime)
        {
            Assert.Equal(DateTimeKind.Unspecified, dateTime.Kind);
        }

        object sqlite = reader.GetSqliteValue(0);
        Assert.Equal(expectedSqlite ?? reader.GetString(1), sqlite);
        Assert.Equal(sqlite.GetType(), reader.GetSqliteFieldType(0));
    }
}
