using System.Text;

namespace Rhei.Tool.Repl;

/// <summary>
/// A small line editor for the terminal: typing, Backspace/Delete, Left/Right/Home/End, Up/Down through the history,
/// Ctrl+D on an empty line to leave. Enough for a SQL prompt without a native readline dependency.
/// </summary>
internal sealed class TerminalLineEditor(ReplHistory history) : ILineSource
{
    public string? ReadLine(string prompt)
    {
        var line = new StringBuilder();
        var cursor = 0;
        var recall = history.Count;
        Console.Write(prompt);
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    Console.WriteLine();
                    return line.ToString();
                case ConsoleKey.Backspace when cursor > 0:
                    line.Remove(--cursor, 1);
                    break;
                case ConsoleKey.Delete when cursor < line.Length:
                    line.Remove(cursor, 1);
                    break;
                case ConsoleKey.LeftArrow when cursor > 0:
                    cursor--;
                    break;
                case ConsoleKey.RightArrow when cursor < line.Length:
                    cursor++;
                    break;
                case ConsoleKey.Home:
                    cursor = 0;
                    break;
                case ConsoleKey.End:
                    cursor = line.Length;
                    break;
                case ConsoleKey.UpArrow when recall > 0:
                    line.Clear().Append(history[--recall]);
                    cursor = line.Length;
                    break;
                case ConsoleKey.DownArrow when recall < history.Count:
                    recall++;
                    line.Clear().Append(recall < history.Count ? history[recall] : string.Empty);
                    cursor = line.Length;
                    break;
                case ConsoleKey.D when key.Modifiers.HasFlag(ConsoleModifiers.Control) && line.Length == 0:
                    Console.WriteLine();
                    return null;
                default:
                    if (!char.IsControl(key.KeyChar))
                    {
                        line.Insert(cursor++, key.KeyChar);
                    }

                    break;
            }

            Redraw(prompt, line, cursor);
        }
    }

    private static void Redraw(string prompt, StringBuilder line, int cursor)
    {
        // Rewrite the whole line and blank what a shorter line left behind, then put the cursor back.
        var text = prompt + line;
        Console.Write("\r" + text + new string(' ', Math.Max(0, Console.WindowWidth - text.Length - 1)));
        Console.Write("\r" + prompt + line.ToString(0, cursor));
    }
}
