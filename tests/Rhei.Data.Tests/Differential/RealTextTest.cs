using Rhei.Data.Sql;

namespace Rhei.Data.Tests.Differential;

/// <summary>
/// REAL → TEXT on DuckDB gives SQLite 3.53's exact text (<see cref="SqliteRealText"/>), value by value: integer-valued
/// doubles of every magnitude, the 1e15–1e17 switch to exponent form, values needing 15, 16 and 17 digits, negative zero,
/// subnormals and the extremes. Where the translation cannot be sure of SQLite's rounding it must fail on DuckDB (and a
/// hinted read then answers from SQLite), never give another text.
/// </summary>
public sealed class RealTextTest(RealTextTest.Database db) : IClassFixture<RealTextTest.Database>
{
    private static readonly double[] s_values =
    [
        0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 2.5, -7.25, 2.675, 100.0, 123456.7, 1e-4, 1e-5, -1e-10, 1e15, 1e16, 1e17, 1e21, 1e22,
        9.999999999999999e16, 99999999999999990.0, 123456789012345678.0, 9007199254740993.0, 4503599627370497.5,
        3.141592653589793, 123456789.123456789, 1.0000000000000002, 0.30000000000000004, 1.0 / 3, 2.0 / 3, 715293370862.949,
        1e300, 1e-300, 5e-324, 2.5e-310, 2.2250738585072014e-308, 1.7976931348623157e308, -1.7976931348623157e308,
        double.PositiveInfinity, double.NegativeInfinity, 4294967296.0, 9223372036854775807.0, -9223372036854775808.0,
        1.5e-7, 6.02214076e23, 1.602176634e-19, 299792458.0, 0.007, 12345678901234.5,
    ];

    public static TheoryData<int> Indexes()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < s_values.Length + Generated.Length; i++)
        {
            data.Add(i);
        }

        return data;
    }

    /// <summary>Integer-valued doubles and powers of two and ten across the whole range, and a fixed pseudo-random sample.</summary>
    private static readonly double[] Generated = BuildGenerated();

    private static double[] BuildGenerated()
    {
        var values = new List<double>();
        for (var e = -320; e <= 308; e += 41)
        {
            values.Add(double.Parse($"1e{e}", System.Globalization.CultureInfo.InvariantCulture));
            values.Add(double.Parse($"3.3e{e}", System.Globalization.CultureInfo.InvariantCulture));
        }

        for (var k = 0; k < 64; k += 9)
        {
            values.Add(Math.Pow(2, k));
            values.Add(Math.Pow(2, k) + 1);
            values.Add(Math.Pow(2, -k));
        }

        var random = new Random(20261201);
        for (var i = 0; i < 15; i++)
        {
            values.Add(BitConverter.Int64BitsToDouble(random.NextInt64()) is var d && double.IsFinite(d) ? d : i);
            values.Add(random.NextDouble() * Math.Pow(10, random.Next(-12, 20)));
        }

        return [.. values];
    }

    private static double Value(int index) => index < s_values.Length ? s_values[index] : Generated[index - s_values.Length];

    [Theory]
    [MemberData(nameof(Indexes))]
    public void DuckDbGivesSqlitesTextOrRefusesAtRuntime(int index)
    {
        var value = Value(index);
        using var connection = db.DataSource.OpenConnection();
        using (var insert = new RheiCommand("INSERT OR REPLACE INTO rt(id, r) VALUES ($id, $r)", connection))
        {
            insert.Parameters.AddWithValue("$id", index);
            insert.Parameters.AddWithValue("$r", value);
            insert.ExecuteNonQuery();
        }

        const string sql = "SELECT CAST(r AS TEXT), 'x' || r, r || '' FROM rt WHERE id = $id";
        var sqlite = Read(connection, sql, RheiRoute.Oltp, index);
        Assert.Equal(RheiRoute.Oltp, sqlite.Route);
        try
        {
            var duck = Read(connection, sql, RheiRoute.Olap, index);
            Assert.Equal(RheiRoute.Olap, duck.Route);
            Assert.Equal(sqlite.Values, duck.Values);
        }
        catch (RheiException e) when (e.Message.Contains(SqliteRealText.GuardMessage, StringComparison.Ordinal))
        {
            // The guard: a hinted read must then answer with SQLite's text.
            var hinted = Read(connection, "/*+ rhei:olap */ " + sql, RheiRoute.Auto, index);
            Assert.Equal(RheiRoute.Oltp, hinted.Route);
            Assert.Equal(sqlite.Values, hinted.Values);
        }
    }

    private static (RheiRoute Route, object?[] Values) Read(RheiConnection connection, string sql, RheiRoute route, int id)
    {
        using var command = new RheiCommand(sql, connection) { Route = route };
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        var values = new object?[reader.FieldCount];
        reader.GetValues(values!);
        return (reader.Route, values);
    }

    /// <summary>One database for every value of the theory (each value writes its own row).</summary>
    public sealed class Database : IDisposable
    {
        private readonly TestDatabase _database = TestDatabase.Create();

        public Database() => _database.Execute("CREATE TABLE rt (id INTEGER PRIMARY KEY, r REAL)");

        public RheiDataSource DataSource => _database.DataSource;

        public void Dispose() => _database.Dispose();
    }
}
