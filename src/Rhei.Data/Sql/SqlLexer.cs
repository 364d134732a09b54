namespace Rhei.Data.Sql;

/// <summary>
/// Splits SQLite (and DuckDB) command text into tokens in a single pass. The lexer never
/// fails: unterminated strings, quotes and comments run to the end of the text so that the
/// analyser still sees something sensible and the engine reports the real syntax error.
/// </summary>
internal static class SqlLexer
{
    /// <summary>Tokenizes <paramref name="text"/>; the result always ends with an <see cref="SqlTokenKind.End"/> token.</summary>
    public static SqlToken[] Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<SqlToken>(Math.Max(8, text.Length / 4));
        var s = text.AsSpan();
        var i = 0;
        while (i < s.Length)
        {
            SqlWorkLimit.Step();
            var start = i;
            var kind = Next(s, ref i);
            tokens.Add(new SqlToken(kind, start, i - start));
        }

        tokens.Add(new SqlToken(SqlTokenKind.End, s.Length, 0));
        return tokens.ToArray();
    }

    private static SqlTokenKind Next(ReadOnlySpan<char> s, ref int i)
    {
        var c = s[i];
        switch (c)
        {
            case ' ' or '\t' or '\r' or '\n' or '\f' or '\v':
                i++;
                while (i < s.Length && char.IsWhiteSpace(s[i]))
                {
                    i++;
                }

                return SqlTokenKind.Whitespace;

            case '-' when Peek(s, i + 1) == '-':
                i += 2;
                while (i < s.Length && s[i] != '\n')
                {
                    i++;
                }

                return SqlTokenKind.Comment;

            case '/' when Peek(s, i + 1) == '*':
                var close = s[(i + 2)..].IndexOf("*/");
                i = close < 0 ? s.Length : i + 2 + close + 2;
                return SqlTokenKind.Comment;

            case '\'':
                SkipQuoted(s, ref i, '\'');
                return SqlTokenKind.String;

            case 'x' or 'X' when Peek(s, i + 1) == '\'':
                i++;
                SkipQuoted(s, ref i, '\'');
                return SqlTokenKind.Blob;

            case '"' or '`':
                SkipQuoted(s, ref i, c);
                return SqlTokenKind.QuotedIdentifier;

            case '[':
                var end = s[(i + 1)..].IndexOf(']');
                i = end < 0 ? s.Length : i + 1 + end + 1;
                return SqlTokenKind.QuotedIdentifier;

            case '?':
                i++;
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                {
                    i++;
                }

                return SqlTokenKind.Parameter;

            case '@' or '$' when IsNameChar(Peek(s, i + 1)):
                i++;
                SkipName(s, ref i);
                return SqlTokenKind.Parameter;

            case ':' when Peek(s, i + 1) != ':' && IsNameStart(Peek(s, i + 1)):
                i++;
                SkipName(s, ref i);
                return SqlTokenKind.Parameter;

            case '.' when char.IsAsciiDigit(Peek(s, i + 1)):
                SkipNumber(s, ref i);
                return SqlTokenKind.Number;

            case '(' or ')' or ',' or ';' or '.':
                i++;
                return SqlTokenKind.Punctuation;
        }

        if (char.IsAsciiDigit(c))
        {
            SkipNumber(s, ref i);
            return SqlTokenKind.Number;
        }

        if (IsNameStart(c))
        {
            var start = i;
            SkipName(s, ref i);
            return SqlKeywords.IsKeyword(s[start..i]) ? SqlTokenKind.Keyword : SqlTokenKind.Identifier;
        }

        i += OperatorLength(s, i);
        return SqlTokenKind.Operator;
    }

    private static int OperatorLength(ReadOnlySpan<char> s, int i)
    {
        var c = s[i];
        var n = Peek(s, i + 1);
        return (c, n) switch
        {
            ('-', '>') => Peek(s, i + 2) == '>' ? 3 : 2,
            ('|', '|') or ('<', '>') or ('!', '=') or ('=', '=') or ('<', '=') or ('>', '=')
                or ('<', '<') or ('>', '>') or (':', ':') or ('/', '/') or ('*', '*') => 2,
            _ => 1,
        };
    }

    private static char Peek(ReadOnlySpan<char> s, int i) => i < s.Length ? s[i] : '\0';

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_' || c > 127;

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '$' || c > 127;

    private static void SkipName(ReadOnlySpan<char> s, ref int i)
    {
        while (i < s.Length && IsNameChar(s[i]))
        {
            i++;
        }
    }

    /// <summary>Skips a quoted run starting at the opening quote; a doubled quote is an escaped quote.</summary>
    private static void SkipQuoted(ReadOnlySpan<char> s, ref int i, char quote)
    {
        i++;
        while (i < s.Length)
        {
            if (s[i] == quote)
            {
                if (Peek(s, i + 1) == quote)
                {
                    i += 2;
                    continue;
                }

                i++;
                return;
            }

            i++;
        }
    }

    private static void SkipNumber(ReadOnlySpan<char> s, ref int i)
    {
        if (s[i] == '0' && Peek(s, i + 1) is 'x' or 'X' && char.IsAsciiHexDigit(Peek(s, i + 2)))
        {
            i += 2;
            while (i < s.Length && char.IsAsciiHexDigit(s[i]))
            {
                i++;
            }

            return;
        }

        while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '_'))
        {
            i++;
        }

        if (Peek(s, i) == '.')
        {
            i++;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }
        }

        if (Peek(s, i) is 'e' or 'E')
        {
            var j = i + 1;
            if (Peek(s, j) is '+' or '-')
            {
                j++;
            }

            if (char.IsAsciiDigit(Peek(s, j)))
            {
                i = j;
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                {
                    i++;
                }
            }
        }
    }
}
