using System.Data.Common;
using static Rhei.Data.Tests.Arrow.ArrowTestRows;

namespace Rhei.Data.Tests.Olap;

/// <summary>
/// Parameters bound on DuckDB, through the reader and through <see cref="RheiCommand.ExecuteArrowReader"/>: one name
/// used twice fills both places, and a parameter whose Value was never set is refused on both paths alike.
/// </summary>
public sealed class DuckDbParameterBindingTest
{
    public static TheoryData<string, RheiRoute> ReusedNames()
    {
        var data = new TheoryData<string, RheiRoute>();
        foreach (var prefix in new[] { "$", "@", ":" })
        {
            data.Add(prefix, RheiRoute.Oltp);
            data.Add(prefix, RheiRoute.Olap);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ReusedNames))]
    public async Task A_named_parameter_used_twice_binds_both_places_in_the_reader(string prefix, RheiRoute route)
    {
        await using var db = TestDatabase.Create();
        await using var connection = db.Open();
        await using var command = ReusedNameCommand(connection, prefix, route);

        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<object>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetValue(0));
        }

        Assert.Equal(route, ((RheiDataReader)reader).Route);
        Assert.Equal([42L, 42L], values);
    }

    [Theory]
    [MemberData(nameof(ReusedNames))]
    public async Task A_named_parameter_used_twice_binds_both_places_in_the_Arrow_reader(string prefix, RheiRoute route)
    {
        await using var db = TestDatabase.Create();
        await using var connection = db.Open();
        await using var command = ReusedNameCommand(connection, prefix, route);

        using var stream = await command.ExecuteArrowReaderAsync();
        var result = await ReadAllAsync(stream);

        Assert.Equal(route, result.Route);
        Assert.Equal([[42L], [42L]], result.Rows);
    }

    [Fact]
    public async Task A_named_parameter_used_twice_in_DuckDB_only_SQL_binds_both_places()
    {
        // DuckDB-only syntax is not translated: the text goes to DuckDB as written, with $p twice.
        await using var db = TestDatabase.Create();
        await using var connection = db.Open();
        await using var command = new RheiCommand("SELECT x FROM (SELECT $p AS x UNION ALL SELECT $p + 1) ORDER BY ALL", connection) { Route = RheiRoute.Olap };
        command.Parameters.AddWithValue("$p", 7L);

        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<long>();
        while (await reader.ReadAsync())
        {
            values.Add(Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(RheiRoute.Olap, ((RheiDataReader)reader).Route);
        Assert.Equal([7L, 8L], values);
    }

    [Theory]
    [InlineData(RheiRoute.Oltp)]
    [InlineData(RheiRoute.Olap)]
    public async Task A_parameter_whose_Value_was_never_set_is_refused_by_the_reader(RheiRoute route)
    {
        await using var db = TestDatabase.Create();
        await using var connection = db.Open();
        await using var command = UnsetValueCommand(connection, route);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
        });

        AssertRefusesUnsetValue(route, error);
    }

    [Theory]
    [InlineData(RheiRoute.Oltp)]
    [InlineData(RheiRoute.Olap)]
    public async Task A_parameter_whose_Value_was_never_set_is_refused_by_the_Arrow_reader(RheiRoute route)
    {
        await using var db = TestDatabase.Create();
        await using var connection = db.Open();
        await using var command = UnsetValueCommand(connection, route);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            using var stream = await command.ExecuteArrowReaderAsync();
            await ReadAllAsync(stream);
        });

        AssertRefusesUnsetValue(route, error);
    }

    // Microsoft.Data.Sqlite says "Value must be set."; the DuckDB path names the parameter as well.
    private static void AssertRefusesUnsetValue(RheiRoute route, InvalidOperationException error)
    {
        if (route == RheiRoute.Olap)
        {
            Assert.Contains("Must add values for the following parameters: $b", error.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("Value must be set", error.Message, StringComparison.Ordinal);
        }
    }

    private static RheiCommand ReusedNameCommand(RheiConnection connection, string prefix, RheiRoute route)
    {
        var command = new RheiCommand($"SELECT {prefix}p AS a UNION ALL SELECT {prefix}p", connection) { Route = route };
        command.Parameters.AddWithValue(prefix + "p", 42L);
        return command;
    }

    private static RheiCommand UnsetValueCommand(RheiConnection connection, RheiRoute route)
    {
        var command = new RheiCommand("SELECT $a AS a, $b AS b", connection) { Route = route };
        command.Parameters.AddWithValue("$a", 1L);
        DbParameter unset = command.CreateParameter();
        unset.ParameterName = "$b";
        command.Parameters.Add(unset);
        return command;
    }
}
