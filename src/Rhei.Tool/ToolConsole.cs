using Spectre.Console;

namespace Rhei.Tool;

/// <summary>
/// Where the tool reads and writes: standard input, a Spectre console over standard output, and standard error for the
/// one-line failure message. When output is redirected (a pipe, a test) tables are drawn wide and without colour, so
/// what a script reads is the data, not the terminal's width.
/// </summary>
internal sealed class ToolConsole
{
    private ToolConsole(IAnsiConsole output, TextWriter error, TextReader input, bool inputIsTerminal, bool outputIsTerminal)
    {
        Out = output;
        Error = error;
        In = input;
        InputIsTerminal = inputIsTerminal;
        OutputIsTerminal = outputIsTerminal;
    }

    public IAnsiConsole Out { get; }

    public TextWriter Error { get; }

    public TextReader In { get; }

    /// <summary>Whether keys can be read one at a time (line editing, history, the dashboard's q).</summary>
    public bool InputIsTerminal { get; }

    /// <summary>Whether output goes to a terminal (colours, live views, progress bars).</summary>
    public bool OutputIsTerminal { get; }

    public static ToolConsole Create()
    {
        bool outputIsTerminal = !Console.IsOutputRedirected;
        IAnsiConsole output = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Ansi = outputIsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = outputIsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = outputIsTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!outputIsTerminal)
        {
            output.Profile.Width = 240;
        }

        return new ToolConsole(output, Console.Error, Console.In, !Console.IsInputRedirected, outputIsTerminal);
    }
}
