namespace Rhei.Data.Sql;

/// <summary>Reads a routing hint from a comment: <c>/*+ rhei:olap */</c>, <c>/* rhei : oltp */</c> or an EF Core tag <c>-- rhei:olap</c>.</summary>
internal static class SqlHintParser
{
    public static RheiRoute? Parse(ReadOnlySpan<char> comment)
    {
        ReadOnlySpan<char> body;
        if (comment.StartsWith("--"))
        {
            body = comment[2..];
        }
        else if (comment.StartsWith("/*"))
        {
            body = comment[2..];
            if (body.EndsWith("*/"))
            {
                body = body[..^2];
            }
        }
        else
        {
            return null;
        }

        body = body.Trim();
        if (body.StartsWith("+"))
        {
            body = body[1..].TrimStart();
        }

        if (!body.StartsWith("rhei", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        body = body[4..].TrimStart();
        if (!body.StartsWith(":"))
        {
            return null;
        }

        body = body[1..].TrimStart();
        if (body.Length > 4 && char.IsAsciiLetterOrDigit(body[4]))
        {
            return null;
        }

        if (body.StartsWith("olap", StringComparison.OrdinalIgnoreCase))
        {
            return RheiRoute.Olap;
        }

        if (body.StartsWith("oltp", StringComparison.OrdinalIgnoreCase))
        {
            return RheiRoute.Oltp;
        }

        return null;
    }
}
