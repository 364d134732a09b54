namespace Rhei.Tool;

/// <summary>The tool's exit codes: scripts test for zero, and tell a usage mistake from a failed command.</summary>
internal static class ToolExitCodes
{
    public const int Success = 0;

    /// <summary>The command ran and failed (an engine error, a missing file…).</summary>
    public const int Failure = 1;

    /// <summary>The command line itself was wrong (no connection string, a bad option value).</summary>
    public const int Usage = 2;

    /// <summary>Stopped by Ctrl+C or SIGTERM before it finished.</summary>
    public const int Cancelled = 130;
}
