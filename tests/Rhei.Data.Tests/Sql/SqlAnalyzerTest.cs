using Rhei.Data.Sql;

namespace Rhei.Data.Tests.Sql;

public class SqlAnalyzerTest
{
    private static SqlStatement One(string sql)
    {
        var analysis = SqlAnalyzer.AnalyzeUncached(sql);
        return Assert.Single(analysis.Statements);
    }

    private static string[] Tables(string sql) => One(sql).Tables.Select(t => t.QualifiedName).ToArray();

    [Theory]
    [InlineData("SELECT 1", "Select")]
    [InlineData("VALUES (1)", "Select")]
    [InlineData("WITH c AS (SELECT 1) SELECT * FROM c", "Select")]
    [InlineData("WITH c AS (SELECT 1) INSERT INTO t SELECT * FROM c", "Insert")]
    [InlineData("INSERT INTO t VALUES (1)", "Insert")]
    [InlineData("INSERT OR REPLACE INTO t VALUES (1)", "Replace")]
    [InlineData("REPLACE INTO t VALUES (1)", "Replace")]
    [InlineData("INSERT INTO t VALUES (1) ON CONFLICT (id) DO UPDATE SET a = 1", "Upsert")]
    [InlineData("UPDATE t SET a = 1", "Update")]
    [InlineData("DELETE FROM t", "Delete")]
    [InlineData("CREATE TABLE t (a)", "CreateTable")]
    [InlineData("CREATE TEMP TABLE t (a)", "CreateTable")]
    [InlineData("CREATE INDEX i ON t (a)", "CreateOther")]
    [InlineData("ALTER TABLE t ADD COLUMN b", "AlterTable")]
    [InlineData("DROP TABLE t", "DropTable")]
    [InlineData("DROP VIEW v", "DropOther")]
    [InlineData("PRAGMA table_info(t)", "Pragma")]
    [InlineData("BEGIN IMMEDIATE", "Begin")]
    [InlineData("COMMIT", "Commit")]
    [InlineData("END", "Commit")]
    [InlineData("ROLLBACK TO sp", "Rollback")]
    [InlineData("SAVEPOINT sp", "Savepoint")]
    [InlineData("RELEASE sp", "Release")]
    [InlineData("ATTACH 'x.db' AS x", "Attach")]
    [InlineData("DETACH x", "Detach")]
    [InlineData("VACUUM", "Vacuum")]
    [InlineData("ANALYZE", "Analyze")]
    [InlineData("REINDEX", "Reindex")]
    [InlineData("EXPLAIN QUERY PLAN SELECT 1", "Explain")]
    [InlineData("FROM t SELECT a", "Select")]
    public void Analyze_kind_from_leading_words(string sql, string kind) => Assert.Equal(Enum.Parse<SqlStatementKind>(kind), One(sql).Kind);

    [Fact]
    public void Analyze_read_write_ddl_flags()
    {
        Assert.True(One("SELECT 1").IsRead);
        Assert.True(One("DELETE FROM t").IsWrite);
        Assert.True(One("DROP TABLE t").IsDdl);
        Assert.False(One("PRAGMA x").IsRead);
    }

    [Fact]
    public void Analyze_keywords_in_strings_and_comments_are_ignored()
    {
        var stmt = One("SELECT 'FROM secret JOIN x' AS a /* FROM hidden */ FROM visible -- JOIN other");
        Assert.Equal(["visible"], stmt.Tables.Select(t => t.Name));
        Assert.Equal(SqlFeatures.None, stmt.Features & SqlFeatures.Join);
    }

    [Fact]
    public void Analyze_quoted_table_names_are_unquoted()
        => Assert.Equal(["select", "order items", "x`y", "main.t"], Tables("SELECT * FROM [select], \"order items\", `x``y`, main.t"));

    [Fact]
    public void Analyze_aliases_are_not_tables()
    {
        var stmt = One("SELECT o.id FROM orders AS o JOIN customers c ON c.id = o.cid");
        Assert.Equal(["orders", "customers"], stmt.Tables.Select(t => t.Name));
        Assert.Equal(["o", "c"], stmt.Tables.Select(t => t.Alias));
        Assert.True(stmt.Has(SqlFeatures.Join));
    }

    [Fact]
    public void Analyze_nested_subqueries_find_all_tables()
    {
        var stmt = One("SELECT * FROM a WHERE x IN (SELECT y FROM b WHERE z = (SELECT max(z) FROM c)) AND EXISTS (SELECT 1 FROM d)");
        Assert.Equal(["a", "b", "c", "d"], stmt.Tables.Select(t => t.Name));
        Assert.True(stmt.Has(SqlFeatures.Subquery));
    }

    [Fact]
    public void Analyze_cte_names_are_not_tables()
    {
        var stmt = One("WITH recent AS (SELECT * FROM orders) SELECT * FROM recent JOIN customers ON 1");
        Assert.Equal(["orders", "customers"], stmt.Tables.Select(t => t.Name));
        Assert.True(stmt.Has(SqlFeatures.Cte));
    }

    [Fact]
    public void Analyze_cte_shadowing_a_table_hides_it_only_in_scope()
    {
        // Inside the subquery 'orders' is the CTE; the outer reference is the real table.
        var stmt = One("SELECT * FROM (WITH orders AS (SELECT 1 AS id) SELECT * FROM orders) x, orders");
        Assert.Equal(["orders"], stmt.Tables.Select(t => t.Name));
        Assert.Equal(stmt.Tokens.Length - 2, stmt.Tables[0].FirstToken);
    }

    [Fact]
    public void Analyze_recursive_cte_references_itself()
    {
        var stmt = One("WITH RECURSIVE cnt(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM cnt WHERE x < 10) SELECT x FROM cnt");
        Assert.Empty(stmt.Tables);
        Assert.True(stmt.Has(SqlFeatures.Cte | SqlFeatures.SetOperation));
    }

    [Fact]
    public void Analyze_table_valued_functions_are_functions()
    {
        var stmt = One("SELECT * FROM json_each(@doc) j, range(10) r(x), t");
        Assert.Equal(["t"], stmt.Tables.Select(t => t.Name));
        Assert.Equal(["json_each", "range"], stmt.TableFunctions);
        Assert.Contains("json_each", stmt.Functions);
    }

    [Fact]
    public void Analyze_extract_from_is_not_a_table()
        => Assert.Equal(["t"], Tables("SELECT extract(year FROM d), substring(s FROM 2) FROM t"));

    [Fact]
    public void Analyze_distinct_from_is_not_a_table()
        => Assert.Equal(["t"], Tables("SELECT * FROM t WHERE a IS NOT DISTINCT FROM b"));

    [Fact]
    public void Analyze_write_targets_and_sources()
    {
        var insert = One("INSERT INTO main.t (a, b) SELECT a, b FROM s");
        Assert.Equal("main.t", insert.TargetTable);
        Assert.Equal(["s"], insert.Tables.Select(t => t.Name));
        Assert.Equal("t", One("UPDATE OR IGNORE t SET a = 1").TargetTable);
        Assert.Equal("t", One("DELETE FROM t WHERE id = 1").TargetTable);
        Assert.Empty(One("DELETE FROM t WHERE id = 1").Tables);
        Assert.Equal("t", One("CREATE TABLE IF NOT EXISTS [t] (a)").TargetTable);
        Assert.Equal("t", One("DROP TABLE IF EXISTS t").TargetTable);
        Assert.Equal("t", One("CREATE INDEX ix ON t(a)").TargetTable);
    }

    [Fact]
    public void Analyze_alter_table_actions()
    {
        Assert.Equal(new SqlAlterAction(SqlAlterKind.AddColumn, "b", Definition: "INTEGER NOT NULL DEFAULT 0"), One("ALTER TABLE t ADD COLUMN b INTEGER NOT NULL DEFAULT 0").AlterAction);
        Assert.Equal(new SqlAlterAction(SqlAlterKind.AddColumn, "c"), One("ALTER TABLE t ADD c").AlterAction);
        Assert.Equal(new SqlAlterAction(SqlAlterKind.DropColumn, "b"), One("ALTER TABLE t DROP COLUMN b").AlterAction);
        Assert.Equal(new SqlAlterAction(SqlAlterKind.RenameTable, "u"), One("ALTER TABLE t RENAME TO u").AlterAction);
        Assert.Equal(new SqlAlterAction(SqlAlterKind.RenameColumn, "a", "b"), One("ALTER TABLE t RENAME COLUMN a TO b").AlterAction);
        Assert.Equal("t", One("ALTER TABLE t RENAME a TO b").TargetTable);
    }

    [Theory]
    [InlineData("SELECT count(*) FROM t", "Aggregate")]
    [InlineData("SELECT group_concat(a) FROM t", "Aggregate")]
    [InlineData("SELECT a FROM t GROUP BY a", "GroupBy")]
    [InlineData("SELECT a FROM t GROUP BY a HAVING a > 1", "Having")]
    [InlineData("SELECT DISTINCT a FROM t", "Distinct")]
    [InlineData("SELECT row_number() OVER (ORDER BY a) FROM t", "Window")]
    [InlineData("SELECT sum(a) OVER w FROM t WINDOW w AS (ORDER BY a)", "Window")]
    [InlineData("SELECT * FROM a LEFT JOIN b USING (id)", "Join")]
    [InlineData("SELECT * FROM a, b", "Join")]
    [InlineData("SELECT a FROM t UNION SELECT a FROM u", "SetOperation")]
    [InlineData("SELECT (SELECT 1) FROM t", "Subquery")]
    [InlineData("SELECT a FROM t ORDER BY a", "OrderBy")]
    [InlineData("SELECT a FROM t LIMIT 1", "Limit")]
    [InlineData("SELECT a FROM t QUALIFY row_number() OVER () = 1", "DuckDbOnlySyntax")]
    [InlineData("PIVOT t ON a USING sum(b)", "DuckDbOnlySyntax")]
    [InlineData("SELECT a::INTEGER FROM t", "DuckDbOnlySyntax")]
    [InlineData("SELECT * EXCLUDE (a) FROM t", "DuckDbOnlySyntax")]
    [InlineData("SELECT * REPLACE (a + 1 AS a) FROM t", "DuckDbOnlySyntax")]
    [InlineData("SELECT a, sum(b) FROM t GROUP BY ALL", "DuckDbOnlySyntax")]
    [InlineData("FROM t SELECT a", "DuckDbOnlySyntax")]
    [InlineData("SELECT date_trunc('month', d) FROM t", "DuckDbOnlySyntax")]
    [InlineData("SELECT list_sum(l) FROM t", "DuckDbOnlySyntax")]
    [InlineData("SELECT median(a) FROM t", "DuckDbOnlySyntax")]
    public void Analyze_features(string sql, string feature) => Assert.True(One(sql).Has(Enum.Parse<SqlFeatures>(feature)), One(sql).Features.ToString());

    [Theory]
    [InlineData("SELECT max(a, b) FROM t")]
    [InlineData("SELECT a FROM t WHERE b = 1")]
    [InlineData("SELECT replace(a, 'x', 'y') FROM t")]
    public void Analyze_plain_selects_have_no_analytical_features(string sql)
        => Assert.Equal(SqlFeatures.None, One(sql).Features & (SqlFeatures.Analytical | SqlFeatures.DuckDbOnlySyntax));

    [Fact]
    public void Analyze_window_function_is_not_counted_as_aggregate()
    {
        var stmt = One("SELECT sum(a) OVER (PARTITION BY b) FROM t");
        Assert.True(stmt.Has(SqlFeatures.Window));
        Assert.False(stmt.Has(SqlFeatures.Aggregate));
    }

    [Theory]
    [InlineData("/*+ rhei:olap */ SELECT 1", RheiRoute.Olap)]
    [InlineData("/*+RHEI:OLTP*/SELECT 1", RheiRoute.Oltp)]
    [InlineData("/* rhei : olap */ SELECT 1", RheiRoute.Olap)]
    [InlineData("-- rhei:olap\nSELECT 1", RheiRoute.Olap)]
    [InlineData("-- some tag\n-- rhei:oltp\nSELECT 1", RheiRoute.Oltp)]
    [InlineData("SELECT /*+ rhei:olap */ 1", null)]
    [InlineData("/*+ rhei:olapx */ SELECT 1", null)]
    [InlineData("/* rheia:olap */ SELECT 1", null)]
    public void Analyze_hint_from_leading_comment(string sql, RheiRoute? hint) => Assert.Equal(hint, One(sql).Hint);

    [Fact]
    public void Analyze_parameters_in_every_style()
    {
        var ps = One("SELECT * FROM t WHERE a = @a AND b = :b AND c = $c AND d = ?5 AND e = ? AND f = @a AND g = $1").Parameters;
        Assert.Equal(["@a", ":b", "$c", "?5", "?", "@a", "$1"], ps.Select(p => p.Name));
        Assert.Equal(
            [SqlParameterStyle.At, SqlParameterStyle.Colon, SqlParameterStyle.Dollar, SqlParameterStyle.Numbered, SqlParameterStyle.Anonymous, SqlParameterStyle.At, SqlParameterStyle.Dollar],
            ps.Select(p => p.Style));
        Assert.Equal([1, 2, 3, 5, 6, 1, 1], ps.Select(p => p.Index));
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], ps.Select(p => p.Position));
    }

    [Fact]
    public void Analyze_split_respects_semicolons_in_strings_and_comments()
    {
        var analysis = SqlAnalyzer.AnalyzeUncached("SELECT ';'; /* ; */ INSERT INTO t VALUES (';') ; ; -- done;\n");
        Assert.Equal(2, analysis.Statements.Count);
        Assert.Equal("SELECT ';'", analysis.Statements[0].Text);
        Assert.Equal("/* ; */ INSERT INTO t VALUES (';')", analysis.Statements[1].Text);
        Assert.True(analysis.HasSideEffects);
    }

    [Fact]
    public void Analyze_trigger_body_is_one_statement()
    {
        const string trigger = "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE u SET n = CASE WHEN n IS NULL THEN 1 ELSE n + 1 END; INSERT INTO log VALUES (new.id); END";
        var analysis = SqlAnalyzer.AnalyzeUncached(trigger + "; SELECT 1");
        Assert.Equal(2, analysis.Statements.Count);
        Assert.Equal(trigger, analysis.Statements[0].Text);
        Assert.Equal(SqlStatementKind.CreateOther, analysis.Statements[0].Kind);
        Assert.Equal("t", analysis.Statements[0].TargetTable);
    }

    [Theory]
    [InlineData("SELECT * FROM t AS OF", "None")]
    [InlineData("SELECT * FROM t", "None")]
    [InlineData("SELECT * FROM t WHERE id = @id", "Point")]
    [InlineData("SELECT * FROM t WHERE t.a = 1 AND b == 'x'", "Point")]
    [InlineData("SELECT * FROM t WHERE a >= 1 AND a < ?", "Range")]
    [InlineData("SELECT * FROM t WHERE a BETWEEN 1 AND 5 ORDER BY a LIMIT 3", "Range")]
    [InlineData("SELECT * FROM t WHERE a IN (1, 2, 3)", "Range")]
    [InlineData("SELECT * FROM t WHERE a = 1 OR b = 2", "Scan")]
    [InlineData("SELECT * FROM t WHERE lower(a) = 'x'", "Scan")]
    public void Analyze_where_lookup_kind(string sql, string kind) => Assert.Equal(Enum.Parse<SqlLookupKind>(kind), One(sql).Lookup);

    [Fact]
    public void Analyze_functions_are_lower_cased_once()
        => Assert.Equal(["upper", "coalesce"], One("SELECT UPPER(a), Coalesce(b, UPPER(c)) FROM t").Functions);

    [Theory]
    [InlineData("SELECT * FROM t FOR SYSTEM_TIME AS OF 1700000000000", "AsOf")]
    [InlineData("SELECT * FROM t FOR SYSTEM_TIME ALL", "All")]
    [InlineData("SELECT * FROM t FOR SYSTEM_TIME FROM @a TO @b", "FromTo")]
    [InlineData("SELECT * FROM t FOR SYSTEM_TIME BETWEEN '2024-01-01' AND '2024-02-01' x WHERE x.a = 1", "Between")]
    [InlineData("SELECT * FROM t FOR SYSTEM_TIME CONTAINED IN (1, 2)", "ContainedIn")]
    public void Analyze_temporal_clauses(string sql, string kind)
    {
        var stmt = One(sql);
        var clause = Assert.Single(stmt.TemporalClauses);
        Assert.Equal(Enum.Parse<SqlTemporalKind>(kind), clause.Kind);
        Assert.Same(clause, stmt.Tables[0].Temporal);
        Assert.Equal("t", stmt.Tables[0].Name);
    }

    [Fact]
    public void Analyze_temporal_clause_with_alias_before_or_after()
    {
        var after = One("SELECT * FROM t FOR SYSTEM_TIME AS OF @at AS x");
        Assert.Equal("x", after.Tables[0].Alias);
        Assert.NotNull(after.Tables[0].Temporal);
        var before = One("SELECT * FROM t x FOR SYSTEM_TIME AS OF @at");
        Assert.Equal("x", before.Tables[0].Alias);
        Assert.NotNull(before.Tables[0].Temporal);
    }

    [Fact]
    public void Analyze_period_column_references()
    {
        Assert.True(One("SELECT _rhei_valid_from FROM t").UsesPeriodColumns);
        Assert.True(One("SELECT * FROM t WHERE \"_RHEI_OPERATION\" = 'D'").UsesPeriodColumns);
        Assert.False(One("SELECT '_rhei_valid_to' FROM t").UsesPeriodColumns);
    }

    [Fact]
    public void Analyze_cache_hit_returns_same_instance()
    {
        const string sql = "SELECT 'cache test' FROM t WHERE id = ?";
        Assert.Same(SqlAnalyzer.Analyze(sql), SqlAnalyzer.Analyze(new string(sql.AsSpan())));
    }
}
