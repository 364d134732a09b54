namespace Rhei.Data.Tests.Differential;

/// <summary>Window functions and frames, CTEs (recursive too), UNION/INTERSECT/EXCEPT, LIMIT/OFFSET.</summary>
public sealed class WindowCteSetCorpusTest(DifferentialDatabase db) : IClassFixture<DifferentialDatabase>
{
    public static TheoryData<string, Expect> Queries => new()
    {
        { "SELECT id, row_number() OVER (ORDER BY id) FROM n ORDER BY id", Expect.Same },
        { "SELECT id, row_number() OVER (PARTITION BY g ORDER BY id) FROM n ORDER BY id", Expect.Same },
        { "SELECT id, rank() OVER (ORDER BY g), dense_rank() OVER (ORDER BY g) FROM n ORDER BY id", Expect.Same },
        { "SELECT id, rank() OVER (ORDER BY i DESC) FROM n ORDER BY id", Expect.Same },
        { "SELECT id, ntile(3) OVER (ORDER BY id) FROM n ORDER BY id", Expect.Same },
        { "SELECT id, lag(i) OVER (ORDER BY id), lead(i, 2, -1) OVER (ORDER BY id) FROM n ORDER BY id", Expect.Same },
        { "SELECT id, first_value(t) OVER (PARTITION BY g ORDER BY id), last_value(t) OVER (PARTITION BY g ORDER BY id) FROM n ORDER BY id", Expect.Same },
        { "SELECT id, nth_value(t, 2) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM n ORDER BY id", Expect.Same },
        { "SELECT id, sum(i) OVER (ORDER BY id) FROM n WHERE abs(i) < 1000 ORDER BY id", Expect.Same },
        { "SELECT id, sum(i) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM n WHERE abs(i) < 1000 ORDER BY id", Expect.Same },
        { "SELECT id, sum(i) OVER (PARTITION BY g) FROM n WHERE abs(i) < 1000 ORDER BY id", Expect.Same },
        { "SELECT id, count(*) OVER (ORDER BY g RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM n ORDER BY id", Expect.Same },
        { "SELECT id, count(t) OVER (ORDER BY i GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM n ORDER BY id", Expect.Same },
        { "SELECT id, max(r) OVER (ORDER BY id ROWS 2 PRECEDING) FROM n ORDER BY id", Expect.Same },
        { "SELECT id, avg(i) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM n WHERE abs(i) < 1000 ORDER BY id", Expect.Approx },
        { "SELECT id, sum(i) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW) FROM n WHERE abs(i) < 1000 ORDER BY id", Expect.Same },
        { "SELECT id, percent_rank() OVER (ORDER BY i), cume_dist() OVER (ORDER BY i) FROM n ORDER BY id", Expect.Same },
        { "SELECT id, min(t) OVER w, max(t) OVER w FROM n WINDOW w AS (PARTITION BY g ORDER BY id) ORDER BY id", Expect.Same },
        { "SELECT g, sum(count(*)) OVER (ORDER BY g) FROM n GROUP BY g ORDER BY g", Expect.Same },
        { "SELECT id, row_number() OVER (ORDER BY t) FROM n ORDER BY id", Expect.Same },
        { "SELECT id, sum(v) OVER (ORDER BY id) FROM big ORDER BY id", Expect.Same },
        { "SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY dept_id ORDER BY salary DESC, id) AS rn FROM emp) WHERE rn = 1 ORDER BY id", Expect.Same },
        { "WITH x AS (SELECT g, count(*) AS c FROM n GROUP BY g) SELECT * FROM x ORDER BY g", Expect.Same },
        { "WITH x(a, b) AS (SELECT id, i FROM n) SELECT a, b FROM x WHERE b > 0 ORDER BY a", Expect.Same },
        { "WITH a AS (SELECT id FROM n WHERE i > 0), b AS (SELECT id FROM a WHERE id > 5) SELECT count(*) FROM b", Expect.Same },
        // A recursive member reads the CTE's own columns, whose types are unknown: its UNION with the anchor is refused.
        { "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10) SELECT sum(x) FROM c", Expect.Refused },
        { "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5) SELECT x, (SELECT count(*) FROM n WHERE n.id = c.x) FROM c ORDER BY x", Expect.Refused },
        { "WITH RECURSIVE chain(id, depth) AS (SELECT id, 0 FROM emp WHERE mgr IS NULL UNION ALL SELECT e.id, chain.depth + 1 FROM emp e JOIN chain ON e.mgr = chain.id) SELECT id, depth FROM chain ORDER BY id, depth", Expect.Refused },
        { "WITH RECURSIVE f(n, v) AS (SELECT 1, 1 UNION ALL SELECT n + 1, v * (n + 1) FROM f WHERE n < 20) SELECT n, v FROM f ORDER BY n", Expect.Refused },
        { "WITH RECURSIVE s(x) AS (SELECT 'a' UNION SELECT x || 'a' FROM s WHERE length(x) < 4) SELECT x FROM s ORDER BY x", Expect.Same },
        { "SELECT g FROM n UNION SELECT name FROM dept ORDER BY 1", Expect.Same },
        { "SELECT g FROM n UNION ALL SELECT name FROM dept ORDER BY 1", Expect.Same },
        { "SELECT i FROM n UNION SELECT salary FROM emp ORDER BY 1", Expect.Same },
        { "SELECT i FROM n INTERSECT SELECT salary FROM emp ORDER BY 1", Expect.Same },
        { "SELECT dept_id FROM emp EXCEPT SELECT id FROM dept ORDER BY 1", Expect.Same },
        { "SELECT id FROM dept EXCEPT SELECT dept_id FROM emp ORDER BY 1", Expect.Same },
        { "SELECT t FROM n INTERSECT SELECT s FROM w ORDER BY 1", Expect.Same },
        { "SELECT r FROM n UNION SELECT bonus FROM emp ORDER BY 1", Expect.Same },
        { "SELECT b FROM n UNION SELECT b FROM n ORDER BY 1", Expect.Same },
        { "SELECT count(*) FROM (SELECT g FROM n UNION SELECT g FROM n)", Expect.Same },
        { "SELECT count(*) FROM (SELECT g FROM n UNION ALL SELECT g FROM n)", Expect.Same },
        { "SELECT id FROM n ORDER BY id LIMIT 5", Expect.Same },
        { "SELECT id FROM n ORDER BY id LIMIT 5 OFFSET 3", Expect.Same },
        { "SELECT id FROM n ORDER BY id LIMIT 3, 4", Expect.Same },
        { "SELECT id FROM n ORDER BY id LIMIT -1 OFFSET 15", Expect.Same },
        { "SELECT id FROM n ORDER BY id LIMIT 0", Expect.Same },
        { "SELECT g, count(*) FROM n GROUP BY g ORDER BY count(*) DESC, g LIMIT 2", Expect.Same },
        { "SELECT id, t FROM n ORDER BY t, id", Expect.Same },
        { "SELECT id, t FROM n ORDER BY t DESC, id", Expect.Same },
        { "SELECT id, r FROM n ORDER BY r, id", Expect.Same },
        { "SELECT id, r FROM n ORDER BY r DESC, id", Expect.Same },
        { "SELECT id, b FROM n ORDER BY b, id", Expect.Same },
        { "SELECT id, i FROM n ORDER BY i DESC NULLS FIRST, id", Expect.Same },
        { "SELECT id, i FROM n ORDER BY i NULLS LAST, id", Expect.Same },
        { "SELECT id, s FROM w ORDER BY s, id", Expect.Same },
        { "SELECT id, s FROM w ORDER BY s COLLATE BINARY DESC, id", Expect.Same },
        { "SELECT id, s FROM w ORDER BY s COLLATE NOCASE, id", Expect.Refused },
        { "SELECT id, s FROM w ORDER BY lower(s), id", Expect.Same },
        { "SELECT id, s FROM w ORDER BY length(s), s, id", Expect.Same },
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public void Agrees(string sql, Expect expect) => Differ.AssertSame(db.DataSource, sql, expect);
}
