using System.Data;
using Microsoft.Data.Sqlite;

namespace Rhei.Data.Tests.Sql;

/// <summary>
/// Every CLR parameter type binds to the same storage class and value on both engines as Microsoft.Data.Sqlite binds it
/// (issue 9, item 5): the reference is a plain <see cref="SqliteConnection"/>, read back with typeof() and the value.
/// </summary>
public sealed class ParameterBindingTest : IDisposable
{
    private enum Colour : short
    {
        Red = 2,
    }

    private readonly TestDatabase _db = TestDatabase.Create();

    public ParameterBindingTest()
    {
        _db.Execute("CREATE TABLE ty (id INTEGER PRIMARY KEY, g TEXT, b BLOB)");
    }

    public void Dispose() => _db.Dispose();

    public static TheoryData<string> Cases() => [.. s_cases.Keys];

    private static readonly Dictionary<string, (object Value, DbType? DbType)> s_cases = new()
    {
        ["Guid"] = (new Guid("0f8fad5b-d9cb-469f-a165-70867728950e"), null),
        ["Guid as Binary"] = (new Guid("0f8fad5b-d9cb-469f-a165-70867728950e"), DbType.Binary),
        ["Guid as String"] = (new Guid("0f8fad5b-d9cb-469f-a165-70867728950e"), DbType.String),
        ["Guid as Guid"] = (new Guid("0f8fad5b-d9cb-469f-a165-70867728950e"), DbType.Guid),
        ["DateTime"] = (new DateTime(2024, 2, 29, 13, 45, 0, 250, DateTimeKind.Unspecified), null),
        ["DateTime whole seconds"] = (new DateTime(2024, 2, 29, 13, 45, 0), null),
        ["DateTime as Double"] = (new DateTime(2024, 2, 29, 12, 0, 0), DbType.Double),
        ["DateTimeOffset"] = (new DateTimeOffset(2024, 2, 29, 13, 45, 0, TimeSpan.FromHours(2)), null),
        ["DateOnly"] = (new DateOnly(2024, 2, 29), null),
        ["TimeOnly"] = (new TimeOnly(13, 45, 10, 500), null),
        ["TimeOnly whole seconds"] = (new TimeOnly(13, 45, 10), null),
        ["TimeSpan"] = (new TimeSpan(1, 2, 3, 4, 5), null),
        ["TimeSpan as Double"] = (TimeSpan.FromHours(36), DbType.Double),
        ["decimal"] = (12.50m, null),
        ["decimal integral"] = (3m, null),
        ["decimal as Double"] = (12.5m, DbType.Double),
        ["char"] = ('é', null),
        ["char as Int32"] = ('A', DbType.Int32),
        ["enum"] = (Colour.Red, null),
        ["byte"] = ((byte)200, null),
        ["sbyte"] = ((sbyte)-5, null),
        ["ushort"] = ((ushort)65535, null),
        ["uint"] = (4294967295u, null),
        ["ulong"] = (9223372036854775807ul, null),
        ["float"] = (1.1f, null),
        ["double"] = (0.1, null),
        ["bool"] = (true, null),
        ["bool as String"] = (true, DbType.String),
        ["int as String"] = (42, DbType.String),
        ["string as Int64"] = ("42", DbType.Int64),
        ["string as Double"] = ("2.5", DbType.Double),
        ["byte[]"] = (new byte[] { 1, 2, 0, 255 }, null),
        ["byte[] as String"] = (new byte[] { 65, 66 }, DbType.String),
        ["long as Double"] = (7L, DbType.Double),
        ["double as Int64"] = (7.0, DbType.Int64),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Binds_like_microsoft_data_sqlite_on_both_routes(string name)
    {
        var (value, dbType) = s_cases[name];
        var (storage, expected) = Reference(value, dbType);
        using var connection = _db.Open();
        foreach (var route in new[] { RheiRoute.Oltp, RheiRoute.Olap })
        {
            using var command = new RheiCommand("SELECT $p", connection) { Route = route };
            var parameter = command.Parameters.AddWithValue("$p", value);
            if (dbType is { } type)
            {
                parameter.DbType = type;
            }

            using var reader = command.ExecuteReader();
            Assert.Equal(route, reader.Route);
            Assert.True(reader.Read());
            Assert.Equal(expected, reader.GetValue(0));
            Assert.Equal(storage, StorageClass(reader.GetValue(0)));
        }

        // The comparison the issue found: a stored value matches the parameter on both engines. The column is one whose
        // mirror type holds the storage class (TEXT or BLOB), so the table stays replicated.
        if (storage is not ("text" or "blob"))
        {
            return;
        }

        var column = storage == "text" ? "g" : "b";
        _db.Execute("DELETE FROM ty");
        using (var insert = new RheiCommand($"INSERT INTO ty (id, {column}) VALUES (1, $p)", connection))
        {
            var parameter = insert.Parameters.AddWithValue("$p", value);
            if (dbType is { } type)
            {
                parameter.DbType = type;
            }

            insert.ExecuteNonQuery();
        }

        foreach (var route in new[] { RheiRoute.Oltp, RheiRoute.Olap })
        {
            using var count = new RheiCommand($"SELECT count(*) FROM ty WHERE {column} = $p", connection) { Route = route };
            var parameter = count.Parameters.AddWithValue("$p", value);
            if (dbType is { } type)
            {
                parameter.DbType = type;
            }

            Assert.Equal(1L, count.ExecuteScalar());
            Assert.Equal(route, count.ExplainRoute().Target);
        }
    }

    private static (string Storage, object Value) Reference(object value, DbType? dbType)
    {
        using var sqlite = new SqliteConnection("Data Source=:memory:");
        sqlite.Open();
        using var command = sqlite.CreateCommand();
        command.CommandText = "SELECT typeof($p), $p";
        var parameter = command.Parameters.AddWithValue("$p", value);
        if (dbType is { } type)
        {
            parameter.DbType = type;
        }

        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetString(0), reader.GetValue(1));
    }

    private static string StorageClass(object value) => value switch
    {
        long => "integer",
        double => "real",
        string => "text",
        byte[] => "blob",
        _ => "null",
    };
}
