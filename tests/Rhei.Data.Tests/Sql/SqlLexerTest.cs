using Rhei.Data.Sql;

namespace Rhei.Data.Tests.Sql;

public class SqlLexerTest
{
    internal static List<(SqlTokenKind Kind, string Text)> Lex(string sql)
        => SqlLexer.Tokenize(sql).Where(t => t.Kind != SqlTokenKind.Whitespace).Select(t => (t.Kind, t.Text(sql))).ToList();

    [Fact]
    public void Tokenize_strings_keep_doubled_quotes_and_hide_keywords()
    {
        var tokens = Lex("SELECT 'it''s FROM x' FROM t");
        Assert.Equal((SqlTokenKind.Keyword, "SELECT"), tokens[0]);
        Assert.Equal((SqlTokenKind.String, "'it''s FROM x'"), tokens[1]);
        Assert.Equal((SqlTokenKind.Keyword, "FROM"), tokens[2]);
        Assert.Equal((SqlTokenKind.Identifier, "t"), tokens[3]);
        Assert.Equal(SqlTokenKind.End, tokens[4].Kind);
    }

    [Theory]
    [InlineData("\"a \"\" b\"")]
    [InlineData("[select]")]
    [InlineData("`x``y`")]
    public void Tokenize_quoted_identifiers_are_one_token(string sql)
        => Assert.Equal([(SqlTokenKind.QuotedIdentifier, sql)], Lex(sql).SkipLast(1));

    [Fact]
    public void Tokenize_comments_are_tokens()
    {
        var tokens = Lex("-- select\nSELECT /* from */ 1");
        Assert.Equal(SqlTokenKind.Comment, tokens[0].Kind);
        Assert.Equal("-- select", tokens[0].Text);
        Assert.Equal((SqlTokenKind.Comment, "/* from */"), tokens[2]);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("3.14")]
    [InlineData(".5")]
    [InlineData("1e10")]
    [InlineData("2.5E-3")]
    [InlineData("0x1F")]
    public void Tokenize_numbers(string sql) => Assert.Equal([(SqlTokenKind.Number, sql)], Lex(sql).SkipLast(1));

    [Theory]
    [InlineData("?")]
    [InlineData("?12")]
    [InlineData("@name")]
    [InlineData(":name")]
    [InlineData("$name")]
    [InlineData("$1")]
    public void Tokenize_parameters(string sql) => Assert.Equal([(SqlTokenKind.Parameter, sql)], Lex(sql).SkipLast(1));

    [Fact]
    public void Tokenize_blob_literal()
        => Assert.Equal((SqlTokenKind.Blob, "x'AB01'"), Lex("x'AB01'")[0]);

    [Theory]
    [InlineData("||")]
    [InlineData("<>")]
    [InlineData("!=")]
    [InlineData("==")]
    [InlineData("<=")]
    [InlineData(">=")]
    [InlineData("<<")]
    [InlineData(">>")]
    [InlineData("->")]
    [InlineData("->>")]
    [InlineData("::")]
    public void Tokenize_multi_char_operators(string op)
    {
        var tokens = Lex("a" + op + "b");
        Assert.Equal((SqlTokenKind.Operator, op), tokens[1]);
        Assert.Equal((SqlTokenKind.Identifier, "b"), tokens[2]);
    }

    [Fact]
    public void Tokenize_cast_operator_is_not_a_parameter()
    {
        var tokens = Lex("x::INTEGER");
        Assert.Equal((SqlTokenKind.Operator, "::"), tokens[1]);
        Assert.Equal((SqlTokenKind.Identifier, "INTEGER"), tokens[2]);
    }

    [Fact]
    public void Tokenize_unterminated_string_runs_to_end()
    {
        var tokens = Lex("SELECT 'abc");
        Assert.Equal((SqlTokenKind.String, "'abc"), tokens[1]);
        Assert.Equal(SqlTokenKind.End, tokens[2].Kind);
    }

    [Fact]
    public void Tokenize_positions_cover_text_exactly()
    {
        const string sql = "SELECT [a], \"b\" FROM t -- c\n WHERE x = @p;";
        var tokens = SqlLexer.Tokenize(sql);
        Assert.Equal(sql, string.Concat(tokens.Select(t => t.Text(sql))));
    }
}
