using System.CommandLine;

namespace Rhei.Tool;

/// <summary>
/// <c>--connection "&lt;connection string&gt;"</c>, on every command, else the <c>RHEI_CONNECTION</c> environment variable
/// (which keeps a password out of the shell's history and the process list).
/// </summary>
internal sealed class ConnectionOption : Option<string?>
{
    public const string EnvironmentVariable = "RHEI_CONNECTION";

    public ConnectionOption()
        : base("--connection", "-c")
    {
        Description = $"The Rhei.Data connection string, e.g. \"Data Source=app.db;Olap=DuckDb\" (default: ${EnvironmentVariable}).";
        Recursive = true;
    }

    /// <summary>The connection string to use, or a usage failure saying how to give one.</summary>
    public string Resolve(ParseResult parseResult)
    {
        var given = parseResult.GetValue(this);
        if (string.IsNullOrWhiteSpace(given))
        {
            given = Environment.GetEnvironmentVariable(EnvironmentVariable);
        }

        return string.IsNullOrWhiteSpace(given)
            ? throw new ToolFailure($"no connection string: pass --connection \"Data Source=app.db;Olap=DuckDb\" or set {EnvironmentVariable}", ToolExitCodes.Usage)
            : given;
    }
}
