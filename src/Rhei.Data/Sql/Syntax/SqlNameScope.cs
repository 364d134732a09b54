namespace Rhei.Data.Sql.Syntax;

/// <summary>
/// What a name in a statement can mean besides a table's column: result aliases (SQLite lets WHERE and ORDER BY use
/// them), the names of CTEs and subqueries used as qualifiers, and the FROM sources (subqueries, CTE references) whose
/// columns could shadow a table's. Built once per statement from its <see cref="SqlSyntax"/> and never changed after.
/// </summary>
internal sealed class SqlNameScope
{
    private readonly SqlSyntax _syntax;
    private readonly List<(int Source, int SourceEnd)> _derivedSources = [];

    public SqlNameScope(SqlSyntax syntax)
    {
        _syntax = syntax;
        var text = syntax.Text;
        var t = syntax.Tokens;
        var cteNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var cte in syntax.Ctes)
        {
            cteNames.Add(cte.Name);
        }

        var aliases = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var derivedNames = new HashSet<string>(cteNames, StringComparer.OrdinalIgnoreCase);
        for (var k = 0; k < t.Length; k++)
        {
            var kind = t[k].Kind;
            if (k > 0 && kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier or SqlTokenKind.String
                && (syntax.IsWord(k - 1, "AS") || syntax.IsOperandEnd(k - 1) && !syntax.IsPunct(k - 2, '.') && !syntax.IsPunct(k + 1, '(')))
            {
                aliases.Add(t[k].Unquote(text));
            }

            if (kind is not (SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier))
            {
                if (k > 0 && syntax.IsPunct(k, '(') && (syntax.IsWord(k + 1, "SELECT") || syntax.IsWord(k + 1, "VALUES") || syntax.IsWord(k + 1, "WITH")
                                                       || syntax.IsPunct(k + 1, '(')) && syntax.IsFromItem(k))
                {
                    _derivedSources.Add((k, syntax.Match(k)));
                }

                continue;
            }

            // A subquery's alias follows its ')' (with or without AS).
            if (syntax.IsPunct(k - 1, ')') || syntax.IsWord(k - 1, "AS") && syntax.IsPunct(k - 2, ')'))
            {
                derivedNames.Add(t[k].Unquote(text));
            }

            if (k > 0 && cteNames.Contains(t[k].Unquote(text)) && syntax.IsFromItem(k))
            {
                _derivedSources.Add((k, k));
            }
        }

        ResultAliases = aliases;
        DerivedNames = derivedNames;
    }

    /// <summary>Names given with AS or as a bare alias after an expression.</summary>
    public IReadOnlySet<string> ResultAliases { get; }

    /// <summary>CTE names and subquery aliases: qualifiers that name no replicated table.</summary>
    public IReadOnlySet<string> DerivedNames { get; }

    /// <summary>
    /// Whether a FROM clause in scope at token <paramref name="at"/> reads a CTE or a subquery. A source is in scope for
    /// the SELECT it belongs to and everything nested in it, except its own body.
    /// </summary>
    public bool HasDerivedSourceAround(int at)
    {
        foreach (var (source, sourceEnd) in _derivedSources)
        {
            var scope = _syntax.Parent(source);
            var inScope = scope < 0 || at > scope && at < _syntax.Match(scope);
            if (inScope && !(at > source && at < sourceEnd))
            {
                return true;
            }
        }

        return false;
    }
}
