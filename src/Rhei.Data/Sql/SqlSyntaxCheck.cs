using System.Globalization;

namespace Rhei.Data.Sql;

/// <summary>
/// Syntax faults the lexer tolerates (it never fails: an unterminated quote runs to the end of the text) but that make a
/// translation meaningless: <c>SELECT "abc</c> would otherwise reach DuckDB as a column named <c>ab</c>.
/// </summary>
internal static class SqlSyntaxCheck
{
    /// <summary>A sentence describing the first unterminated string, blob or quoted identifier, or null.</summary>
    public static string? Problem(SqlStatement statement)
    {
        var text = statement.CommandText;
        foreach (var token in statement.Tokens)
        {
            var what = token.Kind switch
            {
                SqlTokenKind.QuotedIdentifier => "quoted identifier",
                SqlTokenKind.String => "string literal",
                SqlTokenKind.Blob => "blob literal",
                _ => null,
            };
            if (what is null)
            {
                continue;
            }

            var open = text[token.Start] is 'x' or 'X' ? '\'' : text[token.Start];
            var close = open == '[' ? ']' : open;
            var first = text[token.Start] is 'x' or 'X' ? 2 : 1;
            // Inside a terminated token every quote but the closing one is doubled, so the count after the opener is odd.
            var closes = text.AsSpan(token.Start + first, token.Length - first).Count(close);
            if (close == ']' ? closes == 0 : closes % 2 == 0)
            {
                var shown = token.Length > 20 ? text.Substring(token.Start, 20) + "…" : text.Substring(token.Start, token.Length);
                return $"unterminated {what} {shown} at position {token.Start.ToString(CultureInfo.InvariantCulture)}: it has no closing {close}";
            }
        }

        return PivotWithoutInList(statement);
    }

    /// <summary>
    /// DuckDB runs <c>PIVOT … ON col</c> without an <c>IN (…)</c> list as several statements (it first collects the
    /// distinct values), which a prepared command cannot be: DuckDB only says "Cannot prepare multiple statements".
    /// </summary>
    private static string? PivotWithoutInList(SqlStatement statement)
    {
        var tokens = statement.Tokens;
        for (var i = 0; i < tokens.Length; i++)
        {
            if (!tokens[i].Is(statement.CommandText, "PIVOT"))
            {
                continue;
            }

            var on = -1;
            for (var k = i + 1; k < tokens.Length; k++)
            {
                if (tokens[k].Is(statement.CommandText, "ON") || tokens[k].Is(statement.CommandText, "FOR"))
                {
                    on = k;
                }
                else if (on >= 0 && tokens[k].Is(statement.CommandText, "IN"))
                {
                    on = -2;
                    break;
                }
            }

            if (on >= 0)
            {
                return "PIVOT needs an explicit IN list here: without one DuckDB runs it as several statements, which a prepared "
                    + "command cannot be. List the values, e.g. PIVOT t ON s IN ('a', 'b') USING count(*)";
            }
        }

        return null;
    }
}
