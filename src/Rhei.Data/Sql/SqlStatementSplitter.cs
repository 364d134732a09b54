namespace Rhei.Data.Sql;

/// <summary>
/// Splits a token stream into statements at top-level semicolons. A trigger body
/// (<c>CREATE TRIGGER ... BEGIN ...; ...; END</c>) stays one statement.
/// </summary>
internal static class SqlStatementSplitter
{
    /// <summary>Token ranges [start, end) of the non-empty statements; leading comments belong to the statement they precede.</summary>
    public static List<(int Start, int End)> Split(string text, SqlToken[] tokens)
    {
        var result = new List<(int, int)>();
        var start = 0;
        var depth = 0;
        var significant = 0;
        var isTrigger = false;
        var inTriggerBody = false;
        var caseDepth = 0;
        var createSeen = false;

        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if (token.Kind == SqlTokenKind.End)
            {
                break;
            }

            if (token.IsTrivia)
            {
                continue;
            }

            significant++;
            if (significant <= 3)
            {
                // CREATE [TEMP|TEMPORARY] TRIGGER
                if (significant == 1)
                {
                    createSeen = token.Is(text, "CREATE");
                }
                else if (createSeen && token.Is(text, "TRIGGER"))
                {
                    isTrigger = true;
                }
            }

            if (token.Kind == SqlTokenKind.Punctuation)
            {
                var c = text[token.Start];
                if (c == '(')
                {
                    depth++;
                }
                else if (c == ')')
                {
                    depth = Math.Max(0, depth - 1);
                }
                else if (c == ';' && depth == 0 && !inTriggerBody)
                {
                    Add(result, tokens, start, i);
                    start = i + 1;
                    significant = 0;
                    isTrigger = inTriggerBody = createSeen = false;
                    caseDepth = 0;
                }

                continue;
            }

            if (isTrigger && token.Kind == SqlTokenKind.Keyword)
            {
                if (!inTriggerBody && token.Is(text, "BEGIN"))
                {
                    inTriggerBody = true;
                }
                else if (inTriggerBody && token.Is(text, "CASE"))
                {
                    caseDepth++;
                }
                else if (inTriggerBody && token.Is(text, "END"))
                {
                    if (caseDepth > 0)
                    {
                        caseDepth--;
                    }
                    else
                    {
                        inTriggerBody = false;
                    }
                }
            }
        }

        Add(result, tokens, start, tokens.Length - 1);
        return result;
    }

    private static void Add(List<(int, int)> result, SqlToken[] tokens, int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            if (tokens[i].Kind != SqlTokenKind.Whitespace && tokens[i].Kind != SqlTokenKind.Comment)
            {
                result.Add((start, end));
                return;
            }
        }
    }
}
