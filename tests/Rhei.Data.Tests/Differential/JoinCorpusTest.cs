namespace Rhei.Data.Tests.Differential;

/// <summary>Joins, subqueries, IN/EXISTS, correlated subqueries.</summary>
public sealed class JoinCorpusTest(DifferentialDatabase db) : IClassFixture<DifferentialDatabase>
{
    public static TheoryData<string, Expect> Queries => new()
    {
        { "SELECT e.name, d.name FROM emp e JOIN dept d ON d.id = e.dept_id ORDER BY e.id", Expect.Same },
        { "SELECT e.name, d.name FROM emp e LEFT JOIN dept d ON d.id = e.dept_id ORDER BY e.id", Expect.Same },
        { "SELECT e.id, d.id FROM emp e CROSS JOIN dept d ORDER BY e.id, d.id", Expect.Same },
        { "SELECT e.id, d.id FROM emp e, dept d WHERE e.dept_id = d.id AND d.name IS NOT NULL ORDER BY 1, 2", Expect.Same },
        { "SELECT d.name, count(e.id) FROM dept d LEFT JOIN emp e ON e.dept_id = d.id GROUP BY d.id, d.name ORDER BY d.id", Expect.Same },
        { "SELECT d.name, sum(e.salary), max(e.bonus) FROM dept d JOIN emp e ON e.dept_id = d.id GROUP BY d.name ORDER BY d.name", Expect.Same },
        { "SELECT d.name, avg(e.salary) FROM dept d JOIN emp e ON e.dept_id = d.id GROUP BY d.name ORDER BY d.name", Expect.Approx },
        { "SELECT e.name, m.name FROM emp e LEFT JOIN emp m ON m.id = e.mgr ORDER BY e.id", Expect.Same },
        { "SELECT e.name FROM emp e JOIN emp m ON m.id = e.mgr AND m.salary > e.salary ORDER BY e.id", Expect.Same },
        { "SELECT a.id, b.id FROM emp a JOIN emp b ON a.salary = b.salary AND a.id < b.id ORDER BY 1, 2", Expect.Same },
        { "SELECT a.id, b.id FROM emp a JOIN emp b ON a.name = b.name AND a.id <> b.id ORDER BY 1, 2", Expect.Same },
        { "SELECT a.id, b.id FROM emp a JOIN emp b ON a.hired = b.hired AND a.id < b.id ORDER BY 1, 2", Expect.Same },
        { "SELECT e.id FROM emp e JOIN dept d USING (id) ORDER BY e.id", Expect.Same },
        { "SELECT * FROM dept NATURAL JOIN (SELECT id, name FROM emp) ORDER BY id", Expect.Same },
        { "SELECT n.id, w.id FROM n JOIN w ON n.t = w.s ORDER BY 1, 2", Expect.Same },
        { "SELECT n.id, n2.id FROM n JOIN n AS n2 ON n.r = n2.r AND n.id < n2.id ORDER BY 1, 2", Expect.Same },
        { "SELECT n.id, n2.id FROM n JOIN n AS n2 ON n.b = n2.b AND n.id < n2.id ORDER BY 1, 2", Expect.Same },
        { "SELECT n.id, n2.id FROM n JOIN n AS n2 ON n.i = -n2.i AND n.id < n2.id ORDER BY 1, 2", Expect.Same },
        { "SELECT name FROM emp WHERE dept_id IN (SELECT id FROM dept WHERE name LIKE 's%') ORDER BY id", Expect.Same },
        { "SELECT name FROM emp WHERE dept_id NOT IN (SELECT id FROM dept WHERE id < 3) ORDER BY id", Expect.Same },
        { "SELECT name FROM emp WHERE dept_id NOT IN (SELECT id FROM dept) ORDER BY id", Expect.Same },
        { "SELECT id FROM dept WHERE id NOT IN (SELECT dept_id FROM emp) ORDER BY id", Expect.Same },
        { "SELECT id FROM dept WHERE id NOT IN (SELECT dept_id FROM emp WHERE dept_id IS NOT NULL) ORDER BY id", Expect.Same },
        { "SELECT d.id FROM dept d WHERE EXISTS (SELECT 1 FROM emp e WHERE e.dept_id = d.id) ORDER BY d.id", Expect.Same },
        { "SELECT d.id FROM dept d WHERE NOT EXISTS (SELECT 1 FROM emp e WHERE e.dept_id = d.id) ORDER BY d.id", Expect.Same },
        { "SELECT e.name, (SELECT d.name FROM dept d WHERE d.id = e.dept_id) FROM emp e ORDER BY e.id", Expect.Same },
        { "SELECT e.name, (SELECT count(*) FROM emp x WHERE x.mgr = e.id) FROM emp e ORDER BY e.id", Expect.Same },
        { "SELECT e.name FROM emp e WHERE e.salary > (SELECT avg(salary) FROM emp) ORDER BY e.id", Expect.Same },
        { "SELECT e.name FROM emp e WHERE e.salary = (SELECT max(salary) FROM emp x WHERE x.dept_id = e.dept_id) ORDER BY e.id", Expect.Same },
        { "SELECT id FROM emp WHERE salary IN (70000, 120000) ORDER BY id", Expect.Same },
        { "SELECT id FROM emp WHERE salary NOT IN (70000, NULL) ORDER BY id", Expect.Same },
        { "SELECT id FROM emp WHERE name IN ('Ada', 'ada', 'Éve') ORDER BY id", Expect.Same },
        { "SELECT id, salary IN (SELECT salary FROM emp WHERE id > 8) FROM emp ORDER BY id", Expect.Same },
        { "SELECT id, dept_id IN (1, NULL) FROM emp ORDER BY id", Expect.Same },
        { "SELECT s.dept_id, s.total FROM (SELECT dept_id, sum(salary) AS total FROM emp GROUP BY dept_id) s WHERE s.total > 100000 ORDER BY 1", Expect.Same },
        { "SELECT e.id, d.name FROM emp e LEFT JOIN dept d ON d.id = e.dept_id WHERE d.id IS NULL ORDER BY e.id", Expect.Same },
        { "SELECT e.id, d.name FROM emp e LEFT JOIN dept d ON d.id = e.dept_id AND d.name <> 'Sales' ORDER BY e.id", Expect.Same },
        { "SELECT count(*) FROM emp e JOIN dept d ON e.dept_id = d.id JOIN emp m ON m.id = e.mgr", Expect.Same },
        { "SELECT ev.id, n.id FROM ev JOIN n ON ev.ts = n.i ORDER BY 1, 2", Expect.Same },
        { "SELECT max(x.c) FROM (SELECT dept_id, count(*) AS c FROM emp GROUP BY dept_id) x", Expect.Same },
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public void Agrees(string sql, Expect expect) => Differ.AssertSame(db.DataSource, sql, expect);
}
