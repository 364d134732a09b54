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

    [Theory]
    [MemberData(nameof(Samples))]
    public void Analyze_and_translate_never_throw_on_any_prefix(int sample)
    {
        var text = s_samples[sample];
        for (var length = 0; length <= text.Length; length++)
        {
            var prefix = text[..length];
            var analysis = SqlAnalyzer.AnalyzeUncached(prefix);
            foreach (var stmt in analysis.Statements)
            {
                var ctx = new RouteContext { OlapAvailable = true, IsReplicated = _ => true };
                SqlRouter.Decide(stmt, in ctx);
                SqlTranslator.TryTranslate(stmt, prefix, new TranslateOptions { TemporalMirror = true }, out _, out _);
            }
        }
    }
}
