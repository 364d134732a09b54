namespace Rhei.Data.Sql;

/// <summary>
/// A token as a range of the original command text; the text itself is not copied so that
/// lexing allocates one array per command and nothing per token.
/// </summary>
internal readonly record struct SqlToken(SqlTokenKind Kind, int Start, int Length)
{
    public int End => Start + Length;

    public bool IsTrivia => Kind is SqlTokenKind.Whitespace or SqlTokenKind.Comment;

    /// <summary>True for tokens that can name a table, column or function (keywords included, since SQLite lets most keywords be names).</summary>
    public bool IsName => Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier or SqlTokenKind.Keyword;

    public ReadOnlySpan<char> Span(string text) => text.AsSpan(Start, Length);

    public string Text(string text) => text.Substring(Start, Length);

    public bool Is(string text, string word)
        => (Kind is SqlTokenKind.Keyword or SqlTokenKind.Identifier or SqlTokenKind.Operator or SqlTokenKind.Punctuation)
           && Length == word.Length
           && text.AsSpan(Start, Length).Equals(word, StringComparison.OrdinalIgnoreCase);

    /// <summary>The name a token denotes: quotes removed and doubled quotes collapsed.</summary>
    public string Unquote(string text)
    {
        if (Kind != SqlTokenKind.QuotedIdentifier || Length < 2)
        {
            return Text(text);
        }

        var open = text[Start];
        var close = open == '[' ? ']' : open;
        var inner = text.AsSpan(Start + 1, Length - 2);
        if (open == '[' || inner.IndexOf(close) < 0)
        {
            return inner.ToString();
        }

        return inner.ToString().Replace(new string(close, 2), close.ToString(), StringComparison.Ordinal);
    }
}
