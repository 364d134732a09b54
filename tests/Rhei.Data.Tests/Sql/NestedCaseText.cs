using System.Text;

namespace Rhei.Data.Tests.Sql;

/// <summary>Statements with deeply nested CASE expressions, for the planning-limit and shared-parse tests.</summary>
internal static class NestedCaseText
{
    /// <summary><c>SELECT sum(CASE WHEN v = 0 THEN (CASE … THEN (1) ELSE 0 END) ELSE 0 END) FROM t</c>, each level in parentheses.</summary>
    public static string Parenthesised(int depth) => Build(depth, "SELECT sum(", " THEN (", ") ELSE 0 END", ") FROM t");

    /// <summary>CASEs nested directly in each other (no parentheses to jump over): finding each END by scanning is quadratic.</summary>
    public static string Bare(int depth) => Build(depth, "SELECT ", " THEN ", " ELSE 0 END", " FROM t");

    private static string Build(int depth, string head, string then, string end, string tail)
    {
        var sb = new StringBuilder(head);
        for (var i = 0; i < depth; i++)
        {
            sb.Append("CASE WHEN v = ").Append(i).Append(then);
        }

        sb.Append('1');
        for (var i = 0; i < depth; i++)
        {
            sb.Append(end);
        }

        return sb.Append(tail).ToString();
    }
}
