using System.Diagnostics;

namespace Rhei.Tool.Tests;

/// <summary>Starts the built tool (<c>dotnet rhei.dll …</c>) with arguments, input and environment, and collects what it printed.</summary>
internal static class ToolProcess
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    public static string ToolPath { get; } = Path.Combine(RepositoryRoot(), "src", "Rhei.Tool", "bin", Configuration, "net10.0", "rhei.dll");

    public static async Task<ToolRun> RunAsync(string workingDirectory, IReadOnlyList<string> args, string? input = null, string? connection = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ToolPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("RHEI_CONNECTION");
        start.Environment.Remove("RHEI_HISTORY");
        if (connection is not null)
        {
            start.Environment["RHEI_CONNECTION"] = connection;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"rhei {string.Join(' ', args)} did not exit; output so far: {await stdout} {await stderr}");
        }

        return new ToolRun(process.ExitCode, await stdout, await stderr);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Rhei.Data.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root (Rhei.Data.sln) was not found above " + AppContext.BaseDirectory);
    }
}
