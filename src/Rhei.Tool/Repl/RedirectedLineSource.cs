namespace Rhei.Tool.Repl;

/// <summary>Lines from a pipe or a file: no prompt is drawn, so the output is only what the statements produced.</summary>
internal sealed class RedirectedLineSource(TextReader input) : ILineSource
{
    public string? ReadLine(string prompt) => input.ReadLine();
}
