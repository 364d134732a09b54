namespace Rhei.Data.Tests.Sql;

/// <summary>
/// Statements and syntax only DuckDB accepts reach it intact, and text it cannot run gets a message that says what is
/// wrong (issue 9, item 19).
/// </summary>
public sealed class DuckDbStatementTest : IDisposable
{
    private readonly TestDatabase _db = TestDatabase.Create();

    public DuckDbStatementTest()
    {
        _db.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT)");
        _db.Execute("INSERT INTO t VALUES (1, 'abc'), (2, 'xyz'), (3, 'abd')");
    }

    public void Dispose() => _db.Dispose();

    [Theory]
    [InlineData(RheiRoute.Auto)]
    [InlineData(RheiRoute.Olap)]
    public void Describe_lists_the_mirror_columns_on_duckdb(RheiRoute route)
    {
        var rows = Read("DESCRIBE t", route, out var answered);
        Assert.Equal(RheiRoute.Olap, answered);
        Assert.Equal(["id", "s"], rows.Select(r => (string)r[0]!).ToArray());
    }

    [Theory]
    [InlineData(RheiRoute.Auto)]
    [InlineData(RheiRoute.Olap)]
    public void Summarize_returns_a_row_per_column_on_duckdb(RheiRoute route)
    {
        var rows = Read("SUMMARIZE t", route, out var answered);
        Assert.Equal(RheiRoute.Olap, answered);
        Assert.Equal(2, rows.Count);
        Assert.Equal("id", rows[0][0]);
    }

    [Theory]
    [InlineData(RheiRoute.Auto)]
    [InlineData(RheiRoute.Olap)]
    public void Similar_to_is_duckdb_syntax_and_runs_there(RheiRoute route)
    {
        var rows = Read("SELECT id FROM t WHERE s SIMILAR TO 'ab.' ORDER BY id", route, out var answered);
        Assert.Equal(RheiRoute.Olap, answered);
        Assert.Equal([1L, 3L], rows.Select(r => (long)r[0]!).ToArray());
    }

    [Theory]
    [InlineData(RheiRoute.Auto)]
    [InlineData(RheiRoute.Olap)]
    public void Pivot_with_an_in_list_runs_on_duckdb(RheiRoute route)
    {
        var rows = Read("PIVOT t ON s IN ('abc', 'xyz') USING count(*)", route, out var answered);
        Assert.Equal(RheiRoute.Olap, answered);
        // PIVOT groups by the remaining column (id): one row per id, one column per listed value.
        Assert.Equal(3, rows.Count);
        Assert.Equal(3, rows[0].Length);
        Assert.Equal(1L, rows.Sum(r => Convert.ToInt64(r[1], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(1L, rows.Sum(r => Convert.ToInt64(r[2], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData(RheiRoute.Auto)]
    [InlineData(RheiRoute.Olap)]
    public void Pivot_without_an_in_list_says_to_list_the_values(RheiRoute route)
    {
        var error = Assert.Throws<RheiException>(() => Read("PIVOT t ON s USING count(*)", route, out _));
        Assert.Contains("explicit IN list", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("multiple statements", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT \"abc", "unterminated quoted identifier \"abc at position 7")]
    [InlineData("SELECT 'abc FROM t", "unterminated string literal 'abc FROM t at position 7")]
    [InlineData("SELECT [abc", "unterminated quoted identifier [abc at position 7")]
    public void Forced_unterminated_quote_is_reported_as_such(string sql, string expected)
    {
        var error = Assert.Throws<RheiException>(() => Read(sql, RheiRoute.Olap, out _));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\"ab\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forced_misspelled_statement_is_reported_as_unknown()
    {
        var error = Assert.Throws<RheiException>(() => Read("SELEC 1", RheiRoute.Olap, out _));
        Assert.Contains("'SELEC' does not begin a statement", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("writes and DDL", error.Message, StringComparison.Ordinal);
    }

    private List<object?[]> Read(string sql, RheiRoute route, out RheiRoute answered)
    {
        using var connection = _db.Open();
        using var command = new RheiCommand(sql, connection) { Route = route };
        using var reader = command.ExecuteReader();
        answered = reader.Route;
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            rows.Add(row);
        }

        return rows;
    }
}
