using System.Text;

namespace Rhei.Tool.Repl;

/// <summary>
/// Collects input lines until they form complete SQL: the text ends with a semicolon that is not inside a string, a
/// quoted identifier or a comment, as in sqlite3's shell. Lets a statement span lines.
/// </summary>
internal sealed class StatementBuffer
{
    private readonly StringBuilder _text = new();

    public bool IsEmpty => _text.Length == 0;

    public void Append(string line)
    {
        if (_text.Length > 0)
        {
            _text.Append('\n');
        }

        _text.Append(line);
    }

    public bool IsComplete => EndsWithTerminator(_text.ToString());

    public string Take()
    {
        var text = _text.ToString();
        _text.Clear();
        return text;
    }

    public void Clear() => _text.Clear();

    internal static bool EndsWithTerminator(string text)
    {
        char? quote = null;
        var lineComment = false;
        var blockComment = false;
        var lastSignificant = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            if (lineComment)
            {
                lineComment = c != '\n';
                continue;
            }

            if (blockComment)
            {
                if (c == '*' && next == '/')
                {
                    blockComment = false;
                    i++;
                }

                continue;
            }

            if (quote is { } open)
            {
                // A doubled quote inside a string is the quote itself; it toggles twice and stays open.
                if (c == (open == '[' ? ']' : open))
                {
                    quote = null;
                }

                continue;
            }

            switch (c)
            {
                case '\'' or '"' or '`' or '[':
                    quote = c;
                    break;
                case '-' when next == '-':
                    lineComment = true;
                    i++;
                    continue;
                case '/' when next == '*':
                    blockComment = true;
                    i++;
                    continue;
            }

            if (!char.IsWhiteSpace(c))
            {
                lastSignificant = c;
            }
        }

        return quote is null && !blockComment && lastSignificant == ';';
    }
}
