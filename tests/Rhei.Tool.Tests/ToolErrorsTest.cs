namespace Rhei.Tool.Tests;

/// <summary>Failures: a one-line message on standard error, a non-zero exit code, never a password or a stack trace.</summary>
public sealed class ToolErrorsTest : IDisposable
{
    private const string Secret = "hunter2-secret";
    private readonly ToolWorkspace _workspace = new();

    [Fact]
    public async Task No_connection_string_is_a_usage_error_saying_how_to_give_one()
    {
        var run = await ToolProcess.RunAsync(_workspace.Directory, ["status"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(string.Empty, run.Output);
        Assert.Single(Lines(run.Error));
        Assert.StartsWith("rhei: no connection string", run.Error);
        Assert.Contains("RHEI_CONNECTION", run.Error);
    }

    [Fact]
    public async Task An_engine_error_is_one_line_naming_the_engine_with_exit_code_1()
    {
        await _workspace.SeedAsync();
        var run = await _workspace.RunAsync("query", "SELECT * FROM no_such_table");
        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(Lines(run.Error));
        Assert.StartsWith("rhei: ", line);
        Assert.Contains("no such table: no_such_table", line);
        Assert.Contains("SQLite", line);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public async Task A_bad_connection_string_is_refused_without_echoing_the_password()
    {
        var run = await ToolProcess.RunAsync(_workspace.Directory, ["--connection", $"Data Source=x.db;Password={Secret};Sync Interval=soon", "status"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Single(Lines(run.Error));
        Assert.Contains("Sync Interval", run.Error);
        Assert.DoesNotContain(Secret, run.Error + run.Output);
    }

    [Fact]
    public async Task A_password_in_the_connection_string_never_reaches_any_output()
    {
        // An unknown key makes the library quote the connection string's keys back: the value must not follow.
        var connection = $"Data Source={Path.Combine(_workspace.Directory, "p.db")};Password={Secret};Olap=DuckDb;Nonsense=1";
        foreach (var args in new[] { new[] { "status" }, ["query", "SELECT 1"], ["repl"] })
        {
            var run = await ToolProcess.RunAsync(_workspace.Directory, ["--connection", connection, .. args], input: ".status\n");
            Assert.NotEqual(0, run.ExitCode);
            Assert.DoesNotContain(Secret, run.Error + run.Output);
        }
    }

    [Fact]
    public async Task An_unknown_route_is_a_usage_error()
    {
        await _workspace.SeedAsync();
        var run = await _workspace.RunAsync("query", "--route", "fastest", "SELECT 1");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("rhei: unknown route 'fastest'", run.Error);
    }

    [Fact]
    public async Task Exporting_what_duckdb_does_not_answer_fails_and_writes_nothing()
    {
        await _workspace.SeedAsync();
        var target = Path.Combine(_workspace.Directory, "none");
        var run = await _workspace.RunAsync("export", "SELECT rowid, * FROM sales", target);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("cannot be exported", run.Error);
        Assert.False(Directory.Exists(target));
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public void Dispose() => _workspace.Dispose();
}
