using Rhei.Data.Sql;

namespace Rhei.Data.Tests.Sql;

public class SqlRobustnessTest
{
    private static readonly string[] s_samples =
    [
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5) SELECT x, count(*) OVER () FROM c",
        "SELECT o.id, group_concat(l.sku, ';') FROM orders o FOR SYSTEM_TIME BETWEEN '2024-01-01' AND @to JOIN lines l ON l.oid = o.id WHERE o.name NOT LIKE 'A%' ESCAPE '\\' GROUP BY o.id LIMIT ?, ?",
        "SELECT * FROM t FOR SYSTEM_TIME CONTAINED IN (1, 2) x WHERE date(d, 'start of month') = '2024-01-01' AND CAST(a AS INTEGER) = 3",
        "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE u SET n = CASE WHEN n IS NULL THEN 1 ELSE n + 1 END; END; SELECT [x], `y`, \"z\" FROM t",
        "SELECT a FROM t WHERE a LIKE (b || upper(x 'x' LIMIT (1, ((2",
        "ALTER TABLE t ADD COLUMN c TEXT DEFAULT 'x'; INSERT INTO t (a) VALUES (x'ABCD') ON CONFLICT (a) DO UPDATE SET a = excluded.a",
    ];

    public static TheoryData<int> Samples() => [.. Enumerable.Range(0, s_samples.Length)];

    /// <summary>
    /// Every prefix of each sample (a statement cut anywhere: open quotes, parentheses, clauses) is analysed, routed and
    /// translated without an exception, and each answer is well-formed: statements lie inside the text in order, tokens
    /// inside their statement, a decision has a reason, and a translation is either DuckDB text that keeps the
    /// statement's parameters or a refusal with a reason — refused whenever a quote is left open.
    /// </summary>
    [Theory]
    [MemberData(nameof(Samples))]
    public void Analyze_and_translate_never_throw_on_any_prefix(int sample)
    {
        var text = s_samples[sample];
        for (var length = 0; length <= text.Length; length++)
        {
            var prefix = text[..length];
            var analysis = SqlAnalyzer.AnalyzeUncached(prefix);
            Assert.Equal(prefix, analysis.CommandText);
            var previousEnd = 0;
            foreach (var stmt in analysis.Statements)
            {
                Assert.InRange(stmt.Start, previousEnd, prefix.Length);
                Assert.InRange(stmt.Start + stmt.Length, stmt.Start, prefix.Length);
                previousEnd = stmt.Start + stmt.Length;
                Assert.Equal(SqlTokenKind.End, stmt.Tokens[^1].Kind);
                foreach (var token in stmt.Tokens[..^1])
                {
                    Assert.InRange(token.Start, stmt.Start, stmt.Start + stmt.Length);
                    Assert.InRange(token.End, token.Start, stmt.Start + stmt.Length);
                }

                var ctx = new RouteContext { OlapAvailable = true, Catalog = new InMemoryMirrorCatalog { AlsoReplicated = _ => true } };
                var decision = SqlRouter.Decide(stmt, in ctx);
                Assert.True(Enum.IsDefined(decision.Rule), $"rule {decision.Rule} for: {prefix}");
                Assert.False(string.IsNullOrWhiteSpace(decision.Reason), $"no reason for: {prefix}");
                Assert.Equal(stmt.IsRead ? decision.Target : RheiRoute.Oltp, decision.Target);

                var translated = SqlTranslator.TryTranslate(stmt, prefix, new TranslateOptions { TemporalMirror = true }, out var result, out var reason);
                if (translated)
                {
                    Assert.True(stmt.IsRead, $"only reads translate: {prefix}");
                    Assert.False(string.IsNullOrWhiteSpace(result!.Sql), $"empty translation of: {prefix}");
                    Assert.All(result.Parameters, p => Assert.Contains(p, stmt.Parameters));
                    Assert.Null(SqlSyntaxCheck.Problem(stmt));
                }
                else
                {
                    Assert.False(string.IsNullOrWhiteSpace(reason), $"refusal without a reason: {prefix}");
                }
            }

            Assert.InRange(previousEnd, 0, prefix.Length);
        }
    }

    [Fact]
    public void Unterminated_quotes_are_refused_with_their_position()
    {
        foreach (var (sql, expected) in new[]
        {
            ("SELECT \"abc", "unterminated quoted identifier \"abc at position 7"),
            ("SELECT 'it''s", "unterminated string literal 'it''s at position 7"),
            ("SELECT x'AB", "unterminated blob literal x'AB at position 7"),
            ("SELECT [a", "unterminated quoted identifier [a at position 7"),
        })
        {
            var stmt = SqlAnalyzer.AnalyzeUncached(sql).Statements.Single();
            Assert.False(SqlTranslator.TryTranslate(stmt, sql, default, out _, out var reason));
            Assert.StartsWith(expected, reason, StringComparison.Ordinal);
        }

        var closed = SqlAnalyzer.AnalyzeUncached("SELECT 'it''s', \"a\"\"b\", [c], x'AB' FROM t").Statements.Single();
        Assert.Null(SqlSyntaxCheck.Problem(closed));
    }
}
