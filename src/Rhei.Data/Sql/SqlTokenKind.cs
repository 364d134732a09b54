namespace Rhei.Data.Sql;

/// <summary>The lexical class of a <see cref="SqlToken"/>.</summary>
internal enum SqlTokenKind
{
    Keyword,
    Identifier,
    QuotedIdentifier,
    String,
    Blob,
    Number,
    Parameter,
    Operator,
    Punctuation,
    Comment,
    Whitespace,
    End,
}
