namespace Rhei.Data.Diagnostics;

/// <summary>
/// The <c>db.operation.name</c> of a command text: its first keyword in upper case (<c>SELECT</c>, <c>INSERT</c>,
/// <c>PRAGMA</c>…), after whitespace, comments (hints included) and opening parentheses. It is the span's name, so it
/// never carries more of the text than that word: no table, no literal. A text without a word is <c>rhei</c>.
/// </summary>
internal static class SqlOperationName
{
    private const string Unknown = "rhei";
    private const int MaxLength = 32;

    public static string Of(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c) || c == '(' || c == ';')
            {
                i++;
            }
            else if (c == '-' && i + 1 < text.Length && text[i + 1] == '-')
            {
                var end = text.IndexOf('\n', i);
                i = end < 0 ? text.Length : end + 1;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 2;
            }
            else
            {
                break;
            }
        }

        var start = i;
        while (i < text.Length && i - start < MaxLength && (char.IsAsciiLetter(text[i]) || text[i] == '_'))
        {
            i++;
        }

        return i == start ? Unknown : Common(text.AsSpan(start, i - start));
    }

    // The usual words come back as interned constants: no string is made per command for them.
    private static string Common(ReadOnlySpan<char> word)
    {
        foreach (var known in s_known)
        {
            if (word.Equals(known, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return word.ToString().ToUpperInvariant();
    }

    private static readonly string[] s_known =
    [
        "SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "REPLACE", "UPSERT", "CREATE", "DROP", "ALTER", "PRAGMA",
        "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "VALUES", "EXPLAIN", "ANALYZE", "VACUUM", "ATTACH",
        "DETACH", "REINDEX", "DESCRIBE", "SUMMARIZE", "PIVOT", "UNPIVOT", "FROM", "COPY",
    ];
}
