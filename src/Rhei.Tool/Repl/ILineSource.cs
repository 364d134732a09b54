namespace Rhei.Tool.Repl;

/// <summary>Where the REPL's lines come from: a terminal with line editing and history, or redirected input.</summary>
internal interface ILineSource
{
    /// <summary>The next line, or null at the end of input (Ctrl+D, end of a pipe).</summary>
    string? ReadLine(string prompt);
}
