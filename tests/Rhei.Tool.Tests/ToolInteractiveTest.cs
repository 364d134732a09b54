namespace Rhei.Tool.Tests;

/// <summary><c>rhei repl</c> and <c>rhei dashboard</c> driven through redirected input.</summary>
public sealed class ToolInteractiveTest : IDisposable
{
    private readonly ToolWorkspace _workspace = new();

    [Fact]
    public async Task Repl_runs_multi_line_statements_on_the_route_chosen_and_keeps_going_after_an_error()
    {
        await _workspace.SeedAsync();
        const string script = """
            SELECT COUNT(*) AS n FROM sales;
            .route olap
            SELECT region, COUNT(*) AS n
              FROM sales
             GROUP BY region ORDER BY region;
            SELECT * FROM missing;
            .route oltp
            SELECT 'a;b' AS text_with_semicolon;
            .timer off
            SELECT 7 AS seven;
            .explain SELECT region, SUM(amount) FROM sales GROUP BY region
            .history
            .quit
            SELECT 'never run';
            """;
        var run = await _workspace.RunWithInputAsync(script + "\n", "repl");
        Assert.True(run.ExitCode == 0, run.ToString());
        var output = run.Output;
        Assert.Contains("│ 4 │", output);
        Assert.Contains("route: olap", output);
        Assert.Matches(@"3 rows · answered by DuckDB · \d+\.\d ms", output);
        Assert.Contains("error: ", output);
        Assert.Contains("missing", output);
        Assert.Contains("route: oltp", output);
        Assert.Contains("a;b", output);
        Assert.Contains("1 row · answered by SQLite\n", output.ReplaceLineEndings("\n"));
        Assert.Contains("timer: off", output);
        Assert.Matches(@"engine\s+SQLite", output);
        Assert.Matches(@"\s+1\s+SELECT COUNT\(\*\) AS n FROM sales;", output);
        Assert.DoesNotContain("never run", output);
    }

    [Fact]
    public async Task Repl_status_and_help_and_unknown_dot_commands()
    {
        await _workspace.SeedAsync();
        var run = await _workspace.RunWithInputAsync(".help\n.status\n.bogus\n", "repl");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(".route auto|oltp|olap", run.Output);
        Assert.Matches(@"│ sales\s+│ destructive", run.Output);
        Assert.Contains("error: unknown command '.bogus'", run.Output);
    }

    [Fact]
    public async Task Dashboard_once_prints_lag_tables_counters_and_errors()
    {
        await _workspace.SeedAsync();
        var run = await _workspace.RunAsync("dashboard", "--once");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"lag \d+ events · applied through change \d+ · [\d,]+ events/s", run.Output);
        Assert.Matches(@"│ sales\s+│ destructive", run.Output);
        Assert.Contains("route decisions and counters", run.Output);
        Assert.Contains("recent errors", run.Output);
    }

    [Fact]
    public async Task Dashboard_refreshes_until_q()
    {
        await _workspace.SeedAsync();
        var started = DateTime.UtcNow;
        var run = await _workspace.RunWithInputAsync("q", "dashboard", "--interval", "100");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("q to quit", run.Output);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromMinutes(1));
    }

    public void Dispose() => _workspace.Dispose();
}
