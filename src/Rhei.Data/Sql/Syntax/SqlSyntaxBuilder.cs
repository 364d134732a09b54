namespace Rhei.Data.Sql.Syntax;

/// <summary>
/// Builds a statement's <see cref="SqlSyntax"/> in two linear passes: the first matches parentheses, the second (which
/// knows every match) pairs CASE with END per parenthesised group, marks calls, chains each group's commas and follows
/// the clause keywords per level; then the WITH clauses are read. Nothing here scans back or forward per token, so a
/// 10,000-deep nesting costs what 10,000 tokens cost.
/// </summary>
internal static class SqlSyntaxBuilder
{
    /// <summary>Keywords that may be used as a function name (<c>replace(...)</c>, <c>range(...)</c>).</summary>
    private static readonly HashSet<string> s_keywordFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "REPLACE", "CAST", "LIKE", "GLOB", "RANGE", "LEFT", "RIGHT", "MATCH", "REGEXP", "FIRST", "LAST",
    };

    /// <summary>The keywords that start a clause at their level, and the clause each starts (FROM is decided apart).</summary>
    private static readonly Dictionary<string, SqlClauseKind> s_clauseKeywords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SELECT"] = SqlClauseKind.Select,
        ["WHERE"] = SqlClauseKind.Where,
        ["GROUP"] = SqlClauseKind.GroupBy,
        ["HAVING"] = SqlClauseKind.Having,
        ["ORDER"] = SqlClauseKind.OrderBy,
        ["LIMIT"] = SqlClauseKind.Limit,
        ["OFFSET"] = SqlClauseKind.Offset,
        ["WINDOW"] = SqlClauseKind.Window,
        ["QUALIFY"] = SqlClauseKind.Qualify,
        ["UNION"] = SqlClauseKind.Compound,
        ["EXCEPT"] = SqlClauseKind.Compound,
        ["INTERSECT"] = SqlClauseKind.Compound,
        ["RETURNING"] = SqlClauseKind.Returning,
        ["ON"] = SqlClauseKind.JoinCondition,
        ["USING"] = SqlClauseKind.JoinCondition,
        ["SET"] = SqlClauseKind.Set,
        ["VALUES"] = SqlClauseKind.Values,
    };

    // Looked up by the token's span: the build allocates nothing per token.
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> s_keywordFunctionLookup = s_keywordFunctions.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly Dictionary<string, SqlClauseKind>.AlternateLookup<ReadOnlySpan<char>> s_clauseKeywordLookup = s_clauseKeywords.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Whether a keyword may be used as a function name (<c>replace(…)</c>, <c>range(…)</c>).</summary>
    public static bool IsKeywordFunction(string word) => s_keywordFunctions.Contains(word);

    public static SqlSyntax Build(string text, SqlToken[] tokens)
    {
        var n = tokens.Length;
        var match = new int[n];
        var parent = new int[n];
        MatchParentheses(text, tokens, match, parent);

        // For '(' and ',': the next item separator of the group; for CASE and END: the partner. The two sets of tokens are
        // disjoint, so one array holds both links.
        var link = new int[n];
        var isCall = new bool[n];
        var clause = new SqlClauseKind[n];
        Array.Fill(link, -1);

        // Per open group: where its CASE stack starts and the last item separator ('(' or ','); index 0 is the top level.
        List<int>? caseStack = null;
        var frames = new List<(int CaseBase, int LastSeparator)>(4) { (0, -1) };
        // The clause per paren depth, with the analyser's depth rule: '(' goes one deeper, ')' one shallower (never below 0).
        var levelClause = new SqlClauseKind[8];
        var depth = 0;
        for (var i = 0; i < n; i++)
        {
            SqlWorkLimit.Step();
            var token = tokens[i];
            if (IsPunct(text, tokens, i, '('))
            {
                if (match[i] < 0 && caseStack is not null)
                {
                    // Nothing after an unclosed '(' is outside it: no CASE still open in this group can find its END.
                    caseStack.RemoveRange(frames[^1].CaseBase, caseStack.Count - frames[^1].CaseBase);
                }

                if (i > 0)
                {
                    isCall[i - 1] = IsCallName(text, tokens, match, i - 1);
                }

                clause[i] = levelClause[depth];
                depth++;
                if (depth == levelClause.Length)
                {
                    Array.Resize(ref levelClause, levelClause.Length * 2);
                }

                levelClause[depth] = SqlClauseKind.None;
                frames.Add((caseStack?.Count ?? 0, i));
                continue;
            }

            if (IsPunct(text, tokens, i, ')'))
            {
                levelClause[depth] = SqlClauseKind.None;
                depth = Math.Max(0, depth - 1);
                clause[i] = levelClause[depth];
                if (match[i] >= 0 && frames.Count > 1)
                {
                    var frame = frames[^1];
                    frames.RemoveAt(frames.Count - 1);
                    caseStack?.RemoveRange(frame.CaseBase, caseStack.Count - frame.CaseBase);
                    link[frame.LastSeparator] = i;
                }

                continue;
            }

            if (IsPunct(text, tokens, i, ','))
            {
                var frame = frames[^1];
                if (frame.LastSeparator >= 0)
                {
                    link[frame.LastSeparator] = i;
                }

                frames[^1] = (frame.CaseBase, i);
            }
            else if (token.Kind == SqlTokenKind.End && frames.Count == 1 && frames[0].LastSeparator >= 0)
            {
                link[frames[0].LastSeparator] = i;
            }
            else if (token.Is(text, "CASE"))
            {
                (caseStack ??= []).Add(i);
            }
            else if (token.Is(text, "END") && caseStack is not null && caseStack.Count > frames[^1].CaseBase)
            {
                var open = caseStack[^1];
                caseStack.RemoveAt(caseStack.Count - 1);
                link[open] = i;
                link[i] = open;
            }

            if (token.Kind == SqlTokenKind.Keyword)
            {
                FollowClause(text, tokens, parent, isCall, i, levelClause, depth);
            }

            clause[i] = levelClause[depth];
        }

        var hasWith = false;
        List<SqlCteDeclaration>? ctes = null;
        for (var w = 0; w < n; w++)
        {
            if (tokens[w].Is(text, "WITH") && !(w > 0 && tokens[w - 1].Is(text, "START")))
            {
                hasWith = true;
                ReadCtes(text, tokens, match, parent, w, ctes ??= []);
            }
        }

        return new SqlSyntax(text, tokens, match, parent, link, isCall, clause, (IReadOnlyList<SqlCteDeclaration>?)ctes ?? [], hasWith);
    }

    private static void MatchParentheses(string text, SqlToken[] tokens, int[] match, int[] parent)
    {
        var stack = new Stack<int>();
        for (var i = 0; i < tokens.Length; i++)
        {
            match[i] = -1;
            parent[i] = stack.Count > 0 ? stack.Peek() : -1;
            if (IsPunct(text, tokens, i, '('))
            {
                stack.Push(i);
            }
            else if (IsPunct(text, tokens, i, ')') && stack.Count > 0)
            {
                var open = stack.Pop();
                match[open] = i;
                match[i] = open;
                parent[i] = stack.Count > 0 ? stack.Peek() : -1;
            }
        }
    }

    /// <summary>Moves the clause of the current level on at keyword <paramref name="i"/>.</summary>
    private static void FollowClause(string text, SqlToken[] tokens, int[] parent, bool[] isCall, int i, SqlClauseKind[] levelClause, int depth)
    {
        var token = tokens[i];
        if (token.Is(text, "FROM"))
        {
            // FROM inside a call (extract(year FROM d), substring(s FROM 2)) or after DISTINCT opens no FROM clause.
            var enclosing = parent[i];
            if (!(i > 0 && tokens[i - 1].Is(text, "DISTINCT")) && !(enclosing > 0 && isCall[enclosing - 1]))
            {
                levelClause[depth] = SqlClauseKind.From;
            }

            return;
        }

        if (s_clauseKeywordLookup.TryGetValue(token.Span(text), out var kind))
        {
            // ON and USING continue a FROM clause only as a join's condition; elsewhere (PIVOT … ON a, b) a comma
            // after them separates no FROM items.
            levelClause[depth] = kind == SqlClauseKind.JoinCondition && levelClause[depth] is not (SqlClauseKind.From or SqlClauseKind.JoinCondition)
                ? SqlClauseKind.OtherOn
                : kind;
        }
    }

    private static bool IsCallName(string text, SqlToken[] tokens, int[] match, int i)
    {
        var token = tokens[i];
        if (token.Kind == SqlTokenKind.Identifier)
        {
            // A name in table position followed by a column list is not a call: INSERT INTO t(a), REFERENCES t(id),
            // CREATE INDEX i ON t(col), WITH c(a) AS, nor is a type's size (AS VARCHAR(10)) or an alias's column list.
            var before = i - 1;
            return !(Is(text, tokens, before, "INTO") || Is(text, tokens, before, "TABLE") || Is(text, tokens, before, "REFERENCES")
                     || Is(text, tokens, before, "INDEX") || Is(text, tokens, before, "ON") && Is(text, tokens, 0, "CREATE")
                     || Is(text, tokens, before, "WITH") || Is(text, tokens, before, "RECURSIVE")
                     || IsPunct(text, tokens, before, ',') && match[i + 1] > 0 && Is(text, tokens, match[i + 1] + 1, "AS")
                     || Is(text, tokens, before, "AS") || before >= 0 && tokens[before].Kind == SqlTokenKind.Identifier
                     || IsPunct(text, tokens, before, ')'));
        }

        return token.Kind == SqlTokenKind.Keyword && s_keywordFunctionLookup.Contains(token.Span(text))
               && !(i > 0 && tokens[i - 1].Kind == SqlTokenKind.Operator);
    }

    /// <summary>Reads the CTE list of the WITH at <paramref name="w"/>: <c>name [(cols)] AS [NOT] [MATERIALIZED] (body), …</c>.</summary>
    private static void ReadCtes(string text, SqlToken[] tokens, int[] match, int[] parent, int w, List<SqlCteDeclaration> ctes)
    {
        var scopeEnd = parent[w] >= 0 ? match[parent[w]] : tokens.Length;
        if (scopeEnd < 0)
        {
            scopeEnd = tokens.Length;
        }

        var k = w + 1;
        if (Is(text, tokens, k, "RECURSIVE"))
        {
            k++;
        }

        while (k < tokens.Length && tokens[k].IsName)
        {
            var nameToken = k;
            var name = tokens[k].Unquote(text);
            k++;
            if (IsPunct(text, tokens, k, '(') && match[k] > 0)
            {
                k = match[k] + 1;
            }

            if (!Is(text, tokens, k, "AS"))
            {
                return;
            }

            k++;
            if (Is(text, tokens, k, "NOT"))
            {
                k++;
            }

            if (Is(text, tokens, k, "MATERIALIZED"))
            {
                k++;
            }

            ctes.Add(new SqlCteDeclaration(name, nameToken, w, scopeEnd));
            if (!IsPunct(text, tokens, k, '(') || match[k] < 0)
            {
                return;
            }

            k = match[k] + 1;
            if (!IsPunct(text, tokens, k, ','))
            {
                return;
            }

            k++;
        }
    }

    private static bool Is(string text, SqlToken[] tokens, int i, string word) => i >= 0 && i < tokens.Length && tokens[i].Is(text, word);

    private static bool IsPunct(string text, SqlToken[] tokens, int i, char c)
        => i >= 0 && i < tokens.Length && tokens[i].Kind == SqlTokenKind.Punctuation && text[tokens[i].Start] == c;
}
