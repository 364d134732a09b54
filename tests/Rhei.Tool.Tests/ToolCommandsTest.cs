namespace Rhei.Tool.Tests;

/// <summary>The one-shot commands, run as a user runs them: the process, its output and its exit code.</summary>
public sealed class ToolCommandsTest : IDisposable
{
    private readonly ToolWorkspace _workspace = new();

    [Fact]
    public async Task Exec_reports_rows_affected_and_query_shows_rows_engine_and_time()
    {
        await _workspace.SeedAsync();

        var olap = await _workspace.RunAsync("query", "SELECT region, SUM(amount) AS total FROM sales GROUP BY region ORDER BY region");
        Assert.True(olap.ExitCode == 0, olap.ToString());
        Assert.Contains("north", olap.Output);
        Assert.Contains("3.5", olap.Output);
        Assert.Contains("east", olap.Output);
        Assert.Matches(@"3 rows · answered by DuckDB · \d+\.\d ms", olap.Output);

        var oltp = await _workspace.RunAsync("query", "--route", "oltp", "SELECT region, SUM(amount) AS total FROM sales GROUP BY region ORDER BY region");
        Assert.True(oltp.ExitCode == 0, oltp.ToString());
        Assert.Contains("answered by SQLite", oltp.Output);
        Assert.Equal(Rows(olap.Output), Rows(oltp.Output));
    }

    [Fact]
    public async Task Exec_prints_the_number_of_rows_changed()
    {
        await _workspace.SeedAsync();
        var run = await _workspace.RunAsync("exec", "UPDATE sales SET amount = amount + 1 WHERE region = 'north'");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("2 rows affected", run.Output);
    }

    [Fact]
    public async Task Explain_shows_engine_rule_reason_and_the_duckdb_sql()
    {
        await _workspace.SeedAsync();
        var run = await _workspace.RunAsync("explain", "SELECT region, COUNT(*) FROM sales GROUP BY region");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"engine\s+DuckDB", run.Output);
        Assert.Matches(@"rule\s+Analytical", run.Output);
        Assert.Contains("duckdb sql", run.Output);

        var point = await _workspace.RunAsync("explain", "SELECT amount FROM sales WHERE id = 1");
        Assert.Matches(@"engine\s+SQLite", point.Output);
    }

    [Fact]
    public async Task Status_lists_each_table_with_mode_rows_lag_and_state()
    {
        await _workspace.SeedAsync();
        var run = await _workspace.RunAsync("status");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"lag \d+ events", run.Output);
        Assert.Matches(@"│ sales\s+│ destructive\s+│ 4\s+│ 0\s+│ active", run.Output);
    }

    [Fact]
    public async Task Sync_applies_and_reports_counts_and_initial_reloads_a_table()
    {
        await _workspace.SeedAsync();
        // Stop the loop so the write waits for the explicit cycle.
        var connection = _workspace.Connection + ";Sync Interval=0";
        var write = await ToolProcess.RunAsync(_workspace.Directory, ["exec", "INSERT INTO sales VALUES (5,'west',9.0)"], connection: connection);
        Assert.True(write.ExitCode == 0, write.ToString());

        var sync = await ToolProcess.RunAsync(_workspace.Directory, ["sync"], connection: connection);
        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.Matches(@"synced \d+ events: \d+ inserted, 0 updated, 0 deleted", sync.Output);

        var initial = await ToolProcess.RunAsync(_workspace.Directory, ["sync", "--initial", "sales"], connection: connection);
        Assert.True(initial.ExitCode == 0, initial.ToString());
        Assert.Matches(@"copied 5 rows of sales · \d+\.\d ms · [\d,]+ rows/s", initial.Output);
    }

    [Fact]
    public async Task Export_writes_parquet_partitioned_by_a_column()
    {
        await _workspace.SeedAsync();
        var target = Path.Combine(_workspace.Directory, "export");
        var run = await _workspace.RunAsync("export", "sales", target, "--partition-by", "region");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("exported 4 rows to ", run.Output);

        var folders = Directory.GetDirectories(target).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["region=east", "region=north", "region=south"], folders);
        foreach (var file in Directory.GetFiles(target, "*.parquet", SearchOption.AllDirectories))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.Equal("PAR1"u8.ToArray(), bytes[..4]);
            Assert.Equal("PAR1"u8.ToArray(), bytes[^4..]);
        }

        var query = await _workspace.RunAsync("export", "SELECT region, SUM(amount) AS total FROM sales GROUP BY region", Path.Combine(_workspace.Directory, "totals"));
        Assert.True(query.ExitCode == 0, query.ToString());
        Assert.StartsWith("exported 3 rows to ", query.Output);
        Assert.True(File.Exists(Path.Combine(_workspace.Directory, "totals", "data.parquet")));
    }

    [Fact]
    public async Task The_connection_string_comes_from_RHEI_CONNECTION_when_not_given()
    {
        await _workspace.SeedAsync();
        var run = await ToolProcess.RunAsync(_workspace.Directory, ["query", "SELECT COUNT(*) AS n FROM sales"], connection: _workspace.Connection);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("│ 4 │", run.Output);
    }

    private static string[] Rows(string output)
        => output.Split('\n').Where(line => line.StartsWith('│')).Select(line => string.Join('|', line.Split('│', StringSplitOptions.TrimEntries))).ToArray();

    public void Dispose() => _workspace.Dispose();
}
