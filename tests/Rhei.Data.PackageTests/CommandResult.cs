namespace Rhei.Data.PackageTests;

/// <summary>What a finished (or killed) child process did: its command line, exit code and all its output.</summary>
public sealed record CommandResult(string CommandLine, string WorkingDirectory, int ExitCode, bool TimedOut, TimeSpan Elapsed, string Output)
{
    // Enough of the end of a build log to show the error, without flooding the test report.
    private const int MaxOutputInMessage = 30_000;

    public bool Succeeded => !TimedOut && ExitCode == 0;

    /// <summary>The output as lines, without the blank ones.</summary>
    public IReadOnlyList<string> Lines =>
        Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>A failure message: the command, how it ended and (the end of) what it printed.</summary>
    public string Describe()
    {
        var ending = TimedOut ? $"was killed after {Elapsed.TotalSeconds:N0} s (timeout)" : $"exited with {ExitCode} after {Elapsed.TotalSeconds:N0} s";
        var output = Output.Length <= MaxOutputInMessage
            ? Output
            : "…" + Output[^MaxOutputInMessage..];
        return $"`{CommandLine}` in {WorkingDirectory} {ending}. Output:{Environment.NewLine}{output}";
    }
}
