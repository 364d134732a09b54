namespace Rhei.Tool;

/// <summary>A failure the tool reports as its one-line message and exit code, without a stack trace.</summary>
internal sealed class ToolFailure(string message, int exitCode = ToolExitCodes.Failure) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
