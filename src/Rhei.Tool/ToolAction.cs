using System.CommandLine;
using System.Data.Common;

namespace Rhei.Tool;

/// <summary>
/// Runs a command's body with an open session and turns every failure into the tool's contract: one line on standard
/// error (<c>rhei: …</c>, passwords scrubbed), a non-zero exit code, no stack trace.
/// </summary>
internal static class ToolAction
{
    public static void Set(Command command, ToolConsole console, ConnectionOption connection, Func<ToolSession, ParseResult, CancellationToken, Task> body)
        => command.SetAction((parseResult, cancellationToken) => RunAsync(console, connection, parseResult, body, cancellationToken));

    public static async Task<int> RunAsync(
        ToolConsole console, ConnectionOption connection, ParseResult parseResult, Func<ToolSession, ParseResult, CancellationToken, Task> body, CancellationToken cancellationToken)
    {
        string? connectionString = null;
        try
        {
            connectionString = connection.Resolve(parseResult);
            await using var session = await ToolSession.OpenAsync(connectionString, cancellationToken).ConfigureAwait(false);
            await body(session, parseResult, cancellationToken).ConfigureAwait(false);
            return ToolExitCodes.Success;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ToolExitCodes.Cancelled;
        }
        catch (Exception ex) when (Describe(ex) is { } failure)
        {
            var message = SecretScrubber.Scrub(failure.Message, connectionString).ReplaceLineEndings(" ");
            await console.Error.WriteLineAsync("rhei: " + message).ConfigureAwait(false);
            return failure.ExitCode;
        }
    }

    /// <summary>What a failure says to the user; null for a bug the tool should not hide.</summary>
    private static ToolFailure? Describe(Exception ex) => ex switch
    {
        ToolFailure failure => failure,
        DbException db => new ToolFailure(db.Message),
        ArgumentException argument => new ToolFailure(argument.Message, ToolExitCodes.Usage),
        InvalidOperationException invalid => new ToolFailure(invalid.Message),
        IOException io => new ToolFailure(io.Message),
        UnauthorizedAccessException denied => new ToolFailure(denied.Message),
        _ => null,
    };
}
