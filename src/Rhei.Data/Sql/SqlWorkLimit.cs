using System.Diagnostics;
using System.Globalization;

namespace Rhei.Data.Sql;

/// <summary>
/// The command's cancellation token and timeout, checked while Rhei itself works on a statement (lexing, analysis,
/// translation), so that an 80,000-term OR chain or 40,000 UNION ALL branches stop when the caller asked, not when the
/// walk ends. Planning is synchronous, so the limit is ambient for the thread that plans (<see cref="Enter"/>); the
/// static entry points without a limit (tests, the analysis cache) run unlimited. Nesting depth is bounded too, so that
/// deeply nested expressions get a refusal instead of a stack overflow.
/// </summary>
internal sealed class SqlWorkLimit
{
    /// <summary>How many steps run between two looks at the clock and the token.</summary>
    private const int CheckEvery = 1024;

    /// <summary>Deepest expression nesting the translator follows; SQLite's own limit (SQLITE_MAX_EXPR_DEPTH) is 1000.</summary>
    internal const int MaxDepth = 1000;

    [ThreadStatic]
    private static SqlWorkLimit? t_current;

    private readonly CancellationToken _token;
    private readonly long _deadline;
    private readonly int _timeoutSeconds;
    private int _steps;

    private SqlWorkLimit(CancellationToken token, int timeoutSeconds)
    {
        _token = token;
        _timeoutSeconds = timeoutSeconds;
        _deadline = timeoutSeconds > 0 ? Stopwatch.GetTimestamp() + (long)timeoutSeconds * Stopwatch.Frequency : long.MaxValue;
    }

    /// <summary>Makes the token and timeout (seconds, 0 = none) the limit of this thread's planning until the scope is disposed.</summary>
    public static Scope Enter(CancellationToken token, int timeoutSeconds)
    {
        var previous = t_current;
        t_current = new SqlWorkLimit(token, timeoutSeconds);
        return new Scope(previous);
    }

    /// <summary>Steps counted so far by this thread's limit (0 outside <see cref="Enter"/>): how tests tell linear work from quadratic.</summary>
    internal static int StepsTaken => t_current?._steps ?? 0;

    /// <summary>Counts one step of work; every <see cref="CheckEvery"/> steps, throws if the command was cancelled or timed out.</summary>
    public static void Step()
    {
        if (t_current is { } limit && ++limit._steps % CheckEvery == 0)
        {
            limit.Check();
        }
    }

    private void Check()
    {
        _token.ThrowIfCancellationRequested();
        if (Stopwatch.GetTimestamp() > _deadline)
        {
            throw new RheiException(
                $"The command timed out after {_timeoutSeconds.ToString(CultureInfo.InvariantCulture)} seconds while Rhei was "
                + "analysing and translating it, and was stopped before any engine ran it.",
                RheiException.ProviderEngineName,
                0,
                new TimeoutException());
        }
    }

    /// <summary>Restores the limit that was in force before <see cref="Enter"/>.</summary>
    public readonly struct Scope(SqlWorkLimit? previous) : IDisposable
    {
        public void Dispose() => t_current = previous;
    }
}
