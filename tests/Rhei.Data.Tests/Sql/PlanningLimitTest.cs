using System.Diagnostics;
using System.Text;

namespace Rhei.Data.Tests.Sql;

/// <summary>
/// CommandTimeout and cancellation stop Rhei's own work on huge statements (issue 9, item 15): lexing, analysis and
/// translation look at the token and the deadline as they go, and deep nesting is refused rather than overflowing the stack.
/// </summary>
public sealed class PlanningLimitTest : IDisposable
{
    private readonly TestDatabase _db = TestDatabase.Create();

    public PlanningLimitTest()
    {
        _db.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
        _db.Execute("INSERT INTO t VALUES (1, 1), (2, 2)");
    }

    public void Dispose() => _db.Dispose();

    private static string OrChain(int terms)
    {
        var sb = new StringBuilder("SELECT count(*) FROM t WHERE v = 0");
        for (var i = 1; i < terms; i++)
        {
            sb.Append(" OR v = ").Append(i);
        }

        return sb.ToString();
    }


    [Fact]
    public void A_cancelled_token_stops_planning_a_huge_command()
    {
        using var connection = _db.Open();
        using var command = new RheiCommand(OrChain(40_000), connection);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var watch = Stopwatch.StartNew();
        // The token is checked before planning too; the limit inside planning is what stops a token cancelled mid-way.
        Assert.ThrowsAny<OperationCanceledException>(() => command.ExecuteScalarAsync(cancelled.Token).GetAwaiter().GetResult());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Cancelling_during_analysis_and_translation_stops_them()
    {
        var text = OrChain(1_000_000);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var watch = Stopwatch.StartNew();
        using (Rhei.Data.Sql.SqlWorkLimit.Enter(cancel.Token, timeoutSeconds: 0))
        {
            Assert.ThrowsAny<OperationCanceledException>(() =>
            {
                var analysis = Rhei.Data.Sql.SqlAnalyzer.AnalyzeUncached(text);
                Rhei.Data.Sql.SqlTranslator.TryTranslate(analysis.Statements[0], text, default, out _, out _);
            });
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Command_timeout_stops_planning_with_a_timeout_error()
    {
        using var connection = _db.Open();
        // ExplainRoute plans without running: what stops here is Rhei's own walk, not an engine. The text is one no
        // other test plans, so no analysis cached by another test can stand in for the walk being timed.
        using var command = new RheiCommand(OrChain(1_000_000) + " OR v = -1", connection) { CommandTimeout = 1 };
        var watch = Stopwatch.StartNew();
        try
        {
            // Warm, fully optimised code can plan even this in under a second: then the deadline was never reached,
            // and what must hold is that planning did not run past it.
            command.ExplainRoute();
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1.5), $"planning ran {watch.Elapsed} past a 1 s CommandTimeout without stopping");
        }
        catch (RheiException error)
        {
            Assert.Contains("timed out after 1 seconds", error.Message, StringComparison.Ordinal);
            Assert.IsType<TimeoutException>(error.InnerException);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(6), $"took {watch.Elapsed}");
        }
    }

    [Fact]
    public void Deeply_nested_case_plans_without_overflowing_the_stack()
    {
        const int depth = 3_000;
        using var connection = _db.Open();
        using var command = new RheiCommand(NestedCaseText.Parenthesised(depth), connection) { CommandTimeout = 2 };
        var watch = Stopwatch.StartNew();
        try
        {
            // Either the plan is made (the translator bounds its own depth) or the timeout stops the walk: never a
            // stack overflow, never past the timeout by much. (Translating this takes seconds on a loaded machine.)
            var explanation = command.ExplainRoute();
            Assert.False(string.IsNullOrEmpty(explanation.Reason));
        }
        catch (RheiException e)
        {
            Assert.Contains("timed out after 2 seconds", e.Message, StringComparison.Ordinal);
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Ten_thousand_nested_cases_forced_to_DuckDB_stop_at_the_command_timeout()
    {
        // Issue 9.15: the translator's scan for each CASE's END is quadratic in the nesting depth; before it counted
        // that work, a forced DuckDB read of this text ran for minutes whatever CommandTimeout said.
        const int depth = 10_000;
        using var connection = _db.Open();
        using var command = new RheiCommand(NestedCaseText.Parenthesised(depth), connection) { CommandTimeout = 2, Route = RheiRoute.Olap };
        var watch = Stopwatch.StartNew();
        var error = Assert.Throws<RheiException>(() => command.ExecuteScalar());
        Assert.True(
            error.Message.Contains("timed out after 2 seconds", StringComparison.Ordinal) || error.Message.Contains("SQLite refuses", StringComparison.Ordinal)
                || error.Message.Contains("nested more than", StringComparison.Ordinal),
            error.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Modest_commands_still_plan_and_run_within_the_timeout()
    {
        using var connection = _db.Open();
        // Under SQLite's expression depth (1000): SQLite answers it, so DuckDB may too.
        using var command = new RheiCommand(OrChain(900), connection) { CommandTimeout = 30, Route = RheiRoute.Olap };
        Assert.Equal(2L, command.ExecuteScalar());
    }
}
