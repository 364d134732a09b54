using System.Diagnostics;
using System.Text;

namespace Rhei.EntityFrameworkCore.Tests.DesignTime;

/// <summary>
/// Runs the .NET SDK's <c>dotnet</c> as a child process with a time limit, keeping everything it printed so that a
/// failing step shows its own output in the test's failure message.
/// </summary>
internal sealed class DotnetCli
{
    private readonly string _workingDirectory;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly StringBuilder _transcript = new();

    public DotnetCli(string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        _workingDirectory = workingDirectory;
        _environment = environment;
    }

    /// <summary>Every command run so far with its exit code and output, oldest first.</summary>
    public string Transcript => _transcript.ToString();

    /// <summary>Runs <c>dotnet <paramref name="arguments"/></c> and fails the test (with the transcript) unless it exits with 0.</summary>
    public async Task<string> RunAsync(TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(DotnetExecutable())
        {
            WorkingDirectory = _workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // `dotnet test` hands its own MSBuild locations to the test host; a nested SDK command must find its own.
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        var watch = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var deadline = new CancellationTokenSource(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        // The parameterless wait drains the redirected streams, so the output below is complete.
        process.WaitForExit();
        string text;
        lock (output)
        {
            text = output.ToString();
        }

        var verdict = timedOut ? $"killed after {timeout.TotalSeconds:0} s" : $"exit {process.ExitCode} after {watch.Elapsed.TotalSeconds:0.0} s";
        _transcript.Append("$ dotnet ").AppendJoin(' ', arguments).Append("   (").Append(verdict).AppendLine(")").AppendLine(text);
        Assert.True(!timedOut && process.ExitCode == 0, $"`dotnet {string.Join(' ', arguments)}` failed ({verdict}).{Environment.NewLine}{Transcript}");
        return text;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    // The SDK sets DOTNET_HOST_PATH for the processes it starts; outside it, `dotnet` on the PATH is the SDK.
    private static string DotnetExecutable()
        => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
