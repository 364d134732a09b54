using System.Diagnostics;
using static Rhei.Data.Tests.Arrow.ArrowTestRows;

namespace Rhei.Data.Tests.Robustness;

/// <summary>
/// Commands over SQLite's compile-time limits (expression depth 1000, 500 compound terms) never hang and never get an
/// answer from DuckDB that SQLite would refuse: DuckDB's prepare of an 80,000-term OR chain ignores interrupts for
/// minutes, so the refusal comes from SQLite's own prepare before DuckDB sees the statement.
/// </summary>
public sealed class LimitsTest
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(10);

    public static TheoryData<string, int, RheiRoute> OverLimit() => new()
    {
        { "or", 80_000, RheiRoute.Olap },
        { "or", 80_000, RheiRoute.Auto },
        { "or", 20_000, RheiRoute.Olap },
        { "or", 2_000, RheiRoute.Olap },
        { "union", 40_000, RheiRoute.Olap },
        { "union", 600, RheiRoute.Olap },
        { "case", 10_000, RheiRoute.Auto },
    };

    [Theory]
    [MemberData(nameof(OverLimit))]
    public async Task A_command_SQLite_refuses_for_its_limits_is_refused_quickly_on_every_route(string shape, int size, RheiRoute route)
    {
        await using var db = TestDatabase.Create();
        await using var connection = await OpenWithTableAsync(db);
        await using var command = new RheiCommand(Build(shape, size), connection) { Route = route, CommandTimeout = 3 };

        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RheiException>(() => command.ExecuteScalarAsync());
        watch.Stop();

        Assert.True(watch.Elapsed < s_bound, $"{shape} x {size} on {route} took {watch.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(RheiException.SqliteEngineName, error.Engine);
        Assert.Contains(SqliteMessage(shape), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_SQLite_route_gives_the_same_refusal()
    {
        await using var db = TestDatabase.Create();
        await using var connection = await OpenWithTableAsync(db);
        await using var command = new RheiCommand(Build("or", 2_000), connection) { Route = RheiRoute.Oltp };

        var error = await Assert.ThrowsAsync<RheiException>(() => command.ExecuteScalarAsync());

        Assert.Equal(RheiException.SqliteEngineName, error.Engine);
        Assert.Contains(SqliteMessage("or"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_80000_term_OR_chain_with_a_cancellation_token_is_refused_before_the_token_fires()
    {
        await using var db = TestDatabase.Create();
        await using var connection = await OpenWithTableAsync(db);
        await using var command = new RheiCommand(Build("or", 80_000), connection) { Route = RheiRoute.Olap, CommandTimeout = 0 };
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RheiException>(() => command.ExecuteScalarAsync(cancel.Token));
        watch.Stop();

        Assert.True(watch.Elapsed < s_bound, $"took {watch.Elapsed.TotalSeconds:F1} s");
        Assert.False(cancel.IsCancellationRequested);
        Assert.Contains(SqliteMessage("or"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_over_limit_command_is_refused_quickly_on_the_Arrow_path()
    {
        await using var db = TestDatabase.Create();
        await using var connection = await OpenWithTableAsync(db);
        await using var command = new RheiCommand(Build("or", 20_000), connection) { Route = RheiRoute.Olap, CommandTimeout = 3 };

        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RheiException>(async () =>
        {
            using var stream = await command.ExecuteArrowReaderAsync();
            await ReadAllAsync(stream);
        });
        watch.Stop();

        Assert.True(watch.Elapsed < s_bound, $"took {watch.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(RheiException.SqliteEngineName, error.Engine);
        Assert.Contains(SqliteMessage("or"), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("or", 500)]
    [InlineData("union", 400)]
    [InlineData("case", 300)]
    public async Task A_command_within_SQLite_limits_is_still_answered_by_DuckDB(string shape, int size)
    {
        await using var db = TestDatabase.Create();
        await using var connection = await OpenWithTableAsync(db);
        await using var sqlite = new RheiCommand(Build(shape, size), connection) { Route = RheiRoute.Oltp };
        await using var duck = new RheiCommand(Build(shape, size), connection) { Route = RheiRoute.Olap };

        await using var reader = await duck.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var duckValue = Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(RheiRoute.Olap, ((RheiDataReader)reader).Route);
        Assert.Equal(Convert.ToInt64(await sqlite.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture), duckValue);
    }

    private static async Task<RheiConnection> OpenWithTableAsync(TestDatabase db)
    {
        var connection = db.Open();
        await using var create = new RheiCommand("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER); INSERT INTO t VALUES (1, 3), (2, 7)", connection);
        await create.ExecuteNonQueryAsync();
        return connection;
    }

    private static string Build(string shape, int size) => shape switch
    {
        "or" => "SELECT count(*) FROM t WHERE " + string.Join(" OR ", Enumerable.Range(0, size).Select(i => $"v = {i}")),
        "union" => "SELECT count(*) FROM (" + string.Join(" UNION ALL ", Enumerable.Range(0, size).Select(i => $"SELECT {i} AS x")) + ")",
        "case" => "SELECT " + string.Concat(Enumerable.Repeat("CASE WHEN v > 0 THEN ", size)) + "v" + string.Concat(Enumerable.Repeat(" ELSE 0 END", size))
            + " FROM t WHERE id = 2",
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, null),
    };

    private static string SqliteMessage(string shape) => shape switch
    {
        "union" => "too many terms in compound SELECT",
        "case" => "Recursion limit",
        _ => "Expression tree is too large",
    };
}
