using System.Text;
using Rhei.Data.Schema;
using Rhei.Data.Sql;
using Rhei.Data.Sql.Syntax;

namespace Rhei.Data.Tests.Sql;

/// <summary>The one parse the analyser and the translator share: brackets, CASE/END, calls, items, clauses and scopes.</summary>
public class SqlSyntaxTest
{
    private static SqlStatement One(string sql) => Assert.Single(SqlAnalyzer.AnalyzeUncached(sql).Statements);

    private static SqlSyntax Parse(string sql) => One(sql).Syntax;

    /// <summary>The index of the <paramref name="occurrence"/>-th (0-based) token spelled <paramref name="text"/>.</summary>
    private static int At(SqlSyntax syntax, string text, int occurrence = 0)
    {
        for (var i = 0; i < syntax.Tokens.Length; i++)
        {
            if (syntax.Tokens[i].Kind != SqlTokenKind.End
                && syntax.Tokens[i].Span(syntax.Text).Equals(text, StringComparison.OrdinalIgnoreCase)
                && occurrence-- == 0)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"no token '{text}' in {syntax.Text}");
    }



    [Fact]
    public void Parentheses_match_both_ways_and_each_token_knows_its_group()
    {
        var s = Parse("SELECT f(a, (b + c)) FROM t");
        var outer = At(s, "(");
        var inner = At(s, "(", 1);
        var innerClose = At(s, ")");
        var outerClose = At(s, ")", 1);
        Assert.Equal(outerClose, s.Match(outer));
        Assert.Equal(outer, s.Match(outerClose));
        Assert.Equal(innerClose, s.Match(inner));
        Assert.Equal(inner, s.Parent(At(s, "b")));
        Assert.Equal(outer, s.Parent(At(s, "a")));
        Assert.Equal(outer, s.Parent(inner));
        Assert.Equal(-1, s.Parent(At(s, "FROM")));
        Assert.Equal(-1, s.Match(At(s, "a")));
    }

    [Fact]
    public void An_unclosed_parenthesis_matches_nothing()
    {
        var s = Parse("SELECT (a + (b) FROM t");
        Assert.Equal(-1, s.Match(At(s, "(")));
        Assert.Equal(At(s, ")"), s.Match(At(s, "(", 1)));
    }

    [Fact]
    public void Case_pairs_with_its_own_end_through_nesting()
    {
        var s = Parse("SELECT CASE WHEN a THEN CASE b WHEN 1 THEN 2 END ELSE (CASE WHEN c THEN 3 END) END FROM t");
        var first = At(s, "CASE");
        var second = At(s, "CASE", 1);
        var third = At(s, "CASE", 2);
        Assert.Equal(At(s, "END", 2), s.CaseEnd(first));
        Assert.Equal(At(s, "END"), s.CaseEnd(second));
        Assert.Equal(At(s, "END", 1), s.CaseEnd(third));
        Assert.Equal(first, s.CaseStart(At(s, "END", 2)));
        Assert.Equal(-1, s.CaseEnd(At(s, "WHEN")));
    }

    [Fact]
    public void Case_does_not_pair_with_an_end_outside_its_group()
    {
        // The END stands outside the parentheses the CASE opened in: SQLite refuses this, and no CASE owns that END.
        var s = Parse("SELECT (CASE WHEN a THEN b) END FROM t");
        Assert.Equal(-1, s.CaseEnd(At(s, "CASE")));
        Assert.Equal(-1, s.CaseStart(At(s, "END")));
        var unclosed = Parse("SELECT CASE WHEN a THEN (b END FROM t");
        Assert.Equal(-1, unclosed.CaseEnd(At(unclosed, "CASE")));
    }

    [Fact]
    public void Ten_thousand_nested_cases_all_find_their_end()
    {
        var s = Parse(NestedCaseText.Parenthesised(10_000));
        var lastEnd = At(s, "END", 9_999);
        Assert.Equal(lastEnd, s.CaseEnd(At(s, "CASE")));
        Assert.Equal(At(s, "END"), s.CaseEnd(At(s, "CASE", 9_999)));
    }

    [Fact]
    public void Items_split_a_group_at_its_own_commas_only()
    {
        var s = Parse("SELECT f(a, g(b, c), d), h() FROM t");
        var items = s.Items(At(s, "("));
        Assert.Equal(3, items.Count);
        Assert.Equal((At(s, "a"), At(s, ",")), items[0]);
        Assert.Equal(At(s, "g"), items[1].Start);
        Assert.Equal(At(s, "d"), items[2].Start);
        Assert.Equal(2, s.Items(At(s, "(", 1)).Count);
        Assert.Empty(s.Items(At(s, "(", 2)));
    }

    [Theory]
    [InlineData("SELECT count(*) FROM t", "count", true)]
    [InlineData("SELECT replace(a, 'x', 'y') FROM t", "replace", true)]
    [InlineData("SELECT CAST(a AS VARCHAR(10)) FROM t", "VARCHAR", false)]
    [InlineData("INSERT INTO t(a) VALUES (1)", "t", false)]
    [InlineData("WITH c(a) AS (SELECT 1) SELECT * FROM c", "c", false)]
    [InlineData("WITH b AS (SELECT 1), c(a) AS (SELECT 2) SELECT * FROM c", "c", false)]
    [InlineData("SELECT * FROM (SELECT 1) AS s(a)", "s", false)]
    public void A_name_before_a_parenthesis_is_a_call_only_when_it_calls(string sql, string name, bool isCall)
    {
        var s = Parse(sql);
        Assert.Equal(isCall, s.IsCall(At(s, name)));
    }

    [Fact]
    public void Every_token_knows_its_clause_at_its_own_level()
    {
        var s = Parse("SELECT a, extract(year FROM d) FROM t JOIN u ON t.id = u.id, v WHERE x IN (SELECT y FROM w) GROUP BY a ORDER BY a LIMIT 1");
        Assert.Equal(SqlClauseKind.Select, s.Clause(At(s, "a")));
        // The FROM inside extract() opens no FROM clause: the call's arguments stay without a clause.
        Assert.Equal(SqlClauseKind.None, s.Clause(At(s, "d")));
        Assert.Equal(SqlClauseKind.From, s.Clause(At(s, "t")));
        Assert.Equal(SqlClauseKind.JoinCondition, s.Clause(At(s, "=")));
        Assert.True(s.IsFromItem(At(s, "v")));
        Assert.Equal(SqlClauseKind.Where, s.Clause(At(s, "x")));
        Assert.Equal(SqlClauseKind.From, s.Clause(At(s, "w")));
        Assert.Equal(SqlClauseKind.Where, s.Clause(At(s, ")", 1)));
        Assert.Equal(SqlClauseKind.GroupBy, s.Clause(At(s, "BY")));
        Assert.Equal(SqlClauseKind.OrderBy, s.Clause(At(s, "BY", 1)));
        Assert.Equal(SqlClauseKind.Limit, s.Clause(At(s, "1")));
        Assert.False(s.IsFromItem(At(s, "year")));
    }

    [Fact]
    public void On_outside_a_from_clause_separates_no_from_items()
    {
        var pivot = Parse("PIVOT t ON a, b USING sum(x)");
        Assert.Equal(SqlClauseKind.OtherOn, pivot.Clause(At(pivot, ",")));
        Assert.False(pivot.IsFromItem(At(pivot, "b")));
        Assert.DoesNotContain(One(pivot.Text).Tables, t => t.Name == "b");
        var upsert = Parse("INSERT INTO t VALUES (1) ON CONFLICT (id) DO UPDATE SET a = 1, b = 2");
        Assert.Equal(SqlClauseKind.Set, upsert.Clause(At(upsert, ",")));
    }

    [Fact]
    public void A_cte_is_visible_only_inside_the_statement_or_group_that_declares_it()
    {
        var s = Parse("SELECT * FROM (WITH c AS (SELECT 1 AS k) SELECT k FROM c) AS s, c");
        var cte = Assert.Single(s.Ctes);
        Assert.Equal("c", cte.Name);
        Assert.True(s.IsCte("c", At(s, "c", 1)));
        Assert.False(s.IsCte("c", At(s, "c", 2)));
        // The analyser reads the same scope: the inner c is the CTE, the outer c a table.
        var table = Assert.Single(One(s.Text).Tables);
        Assert.Equal("c", table.Name);
        Assert.Equal(At(s, "c", 2), table.FirstToken);
    }

    [Fact]
    public void The_name_scope_knows_aliases_derived_names_and_derived_sources()
    {
        var s = Parse("WITH c AS (SELECT 1 AS k) SELECT t.a AS total, s.k FROM t, (SELECT k FROM c) AS s WHERE total > 0");
        Assert.Contains("total", s.Names.ResultAliases);
        Assert.Contains("c", s.Names.DerivedNames);
        Assert.Contains("s", s.Names.DerivedNames);
        Assert.DoesNotContain("t", s.Names.DerivedNames);
        // The subquery is a FROM source of the outer SELECT: a bare name there may be its column; inside its body it is not in scope.
        Assert.True(s.Names.HasDerivedSourceAround(At(s, "total", 1)));
        Assert.True(s.Names.HasDerivedSourceAround(At(s, "k", 2)));
        Assert.False(Parse("SELECT a FROM t WHERE a > 0").Names.HasDerivedSourceAround(1));
    }

    [Fact]
    public void A_table_after_a_join_condition_is_read_by_the_analyser_and_the_translator_alike()
    {
        // Both sides read one clause rule: a comma after ON … continues the FROM clause.
        var stmt = One("SELECT t.a FROM t JOIN u ON t.id = u.id, v");
        Assert.Equal(["t", "u", "v"], stmt.Tables.Select(t => t.Name));
        var options = new TranslateOptions { TemporalMirror = true };
        Assert.True(SqlTranslator.TryTranslate(stmt, stmt.CommandText, options, out var translated, out var why), why);
        Assert.Contains("FROM v WHERE _rhei_valid_to IS NULL) AS v", translated.Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Nested_case_translates_in_linear_work()
    {
        var options = new TranslateOptions { ColumnType = (_, _) => MirrorType.Integer };
        int Work(Func<int, string> build, int depth)
        {
            var text = build(depth);
            using (SqlWorkLimit.Enter(CancellationToken.None, timeoutSeconds: 0))
            {
                var stmt = One(text);
                Assert.True(SqlTranslator.TryTranslate(stmt, text, options, out _, out var why), why);
                return SqlWorkLimit.StepsTaken;
            }
        }

        foreach (var build in new Func<int, string>[] { NestedCaseText.Parenthesised, NestedCaseText.Bare })
        {
            var small = Work(build, 200);
            var large = Work(build, 400);
            // Twice the nesting: twice the work when linear, four times when each CASE scans for its END or retypes its branches.
            Assert.True(large < small * 3, $"{build(1)}: 200 deep {small} steps, 400 deep {large} steps");
        }
    }

    [Fact]
    public void Ten_thousand_nested_cases_are_refused_in_linear_work()
    {
        var text = NestedCaseText.Bare(10_000);
        using (SqlWorkLimit.Enter(CancellationToken.None, timeoutSeconds: 0))
        {
            var stmt = One(text);
            var options = new TranslateOptions { ColumnType = (_, _) => MirrorType.Integer };
            Assert.False(SqlTranslator.TryTranslate(stmt, text, options, out _, out var why));
            Assert.Contains("nested more than", why, StringComparison.Ordinal);
            Assert.True(SqlWorkLimit.StepsTaken < 20 * stmt.Tokens.Length, $"{SqlWorkLimit.StepsTaken} steps for {stmt.Tokens.Length} tokens");
        }
    }
}
