namespace Rhei.Data.Sql.Syntax;

/// <summary>
/// The one parse of a statement that the analyser and the translator both read: its significant tokens annotated, in a
/// single linear pass (<see cref="SqlSyntaxBuilder"/>), with matching parentheses, the group enclosing each token, each
/// CASE's END, which names are function calls, the argument items of every group, the clause every token belongs to and
/// the CTEs declared with their scopes. It is immutable and cached with the analysis (<see cref="SqlStatement.Syntax"/>),
/// so a rule one side learns (this name is a call, this comma separates FROM items, this END closes that CASE) is the
/// rule the other side uses, and no walk re-discovers structure by scanning.
/// </summary>
internal sealed class SqlSyntax
{
    private readonly int[] _match;
    private readonly int[] _parent;
    private readonly int[] _link;
    private readonly bool[] _isCall;
    private readonly SqlClauseKind[] _clause;
    private SqlNameScope? _names;

    internal SqlSyntax(
        string text,
        SqlToken[] tokens,
        int[] match,
        int[] parent,
        int[] link,
        bool[] isCall,
        SqlClauseKind[] clause,
        IReadOnlyList<SqlCteDeclaration> ctes,
        bool hasWith)
    {
        Text = text;
        Tokens = tokens;
        _match = match;
        _parent = parent;
        _link = link;
        _isCall = isCall;
        _clause = clause;
        Ctes = ctes;
        HasWith = hasWith;
    }

    /// <summary>The whole command text; token positions are offsets into it.</summary>
    public string Text { get; }

    /// <summary>The statement's significant tokens, ending with an <see cref="SqlTokenKind.End"/> token.</summary>
    public SqlToken[] Tokens { get; }

    /// <summary>The CTEs every WITH clause of the statement declares, in order of appearance.</summary>
    public IReadOnlyList<SqlCteDeclaration> Ctes { get; }

    /// <summary>True when the statement has a WITH clause (even one whose CTE list could not be read).</summary>
    public bool HasWith { get; }

    /// <summary>Result aliases, derived-table names and FROM sources whose columns are not a table's (built on first use).</summary>
    public SqlNameScope Names => _names ?? Interlocked.CompareExchange(ref _names, new SqlNameScope(this), null) ?? _names;

    /// <summary>The parenthesis matching the one at <paramref name="i"/>, or -1 (unbalanced, or not a parenthesis).</summary>
    public int Match(int i) => i >= 0 && i < _match.Length ? _match[i] : -1;

    /// <summary>The innermost <c>(</c> enclosing token <paramref name="i"/> (for a parenthesis: the group around it), or -1 at the top level.</summary>
    public int Parent(int i) => i >= 0 && i < _parent.Length ? _parent[i] : -1;

    /// <summary>The END closing the CASE at <paramref name="caseIndex"/> in the same parenthesised group, or -1.</summary>
    public int CaseEnd(int caseIndex) => IsWord(caseIndex, "CASE") ? _link[caseIndex] : -1;

    /// <summary>The CASE that the END at <paramref name="endIndex"/> closes, or -1.</summary>
    public int CaseStart(int endIndex) => IsWord(endIndex, "END") ? _link[endIndex] : -1;

    /// <summary>
    /// Whether the name at <paramref name="nameIndex"/> calls a function: it is followed by <c>(</c> and is not a table
    /// with a column list (<c>INSERT INTO t(a)</c>), a CTE declaration (<c>WITH c(a) AS</c>), a type (<c>AS VARCHAR(10)</c>)
    /// or an alias with column names (<c>t AS x(a)</c>). Keywords call only when they are function names (<c>replace(…)</c>).
    /// </summary>
    public bool IsCall(int nameIndex) => nameIndex >= 0 && nameIndex < _isCall.Length && _isCall[nameIndex];

    /// <summary>The clause token <paramref name="i"/> belongs to at its own parenthesis level.</summary>
    public SqlClauseKind Clause(int i) => i >= 0 && i < _clause.Length ? _clause[i] : SqlClauseKind.None;

    /// <summary>
    /// For a <c>(</c> or a <c>,</c> at <paramref name="i"/>: the next <c>,</c> of the same group, or the group's <c>)</c>
    /// (for a top-level comma: the next top-level comma, or the End token); -1 for any other token or an unclosed group.
    /// </summary>
    public int NextItem(int i) => IsPunct(i, '(') || IsPunct(i, ',') ? _link[i] : -1;

    /// <summary>The items [start, end) of the group opened at <paramref name="open"/>, split at its own commas; empty for <c>()</c>.</summary>
    public List<(int Start, int End)> Items(int open)
    {
        var items = new List<(int Start, int End)>();
        var close = Match(open);
        if (close <= open + 1)
        {
            return items;
        }

        var start = open + 1;
        for (var separator = _link[open]; separator > 0 && separator <= close; separator = _link[separator])
        {
            items.Add((start, separator));
            if (separator == close)
            {
                break;
            }

            start = separator + 1;
        }

        return items;
    }

    /// <summary>Whether <paramref name="name"/> names a CTE visible at token <paramref name="at"/>.</summary>
    public bool IsCte(string name, int at)
    {
        foreach (var cte in Ctes)
        {
            if (cte.IsVisibleAt(at) && string.Equals(cte.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether token <paramref name="k"/> begins an item of a FROM clause (after FROM, JOIN, or a comma between FROM items).</summary>
    public bool IsFromItem(int k)
        => IsWord(k - 1, "FROM") || IsWord(k - 1, "JOIN")
           || IsPunct(k - 1, ',') && Clause(k - 1) is SqlClauseKind.From or SqlClauseKind.JoinCondition;

    /// <summary>Whether token <paramref name="k"/> can end an operand (so a following + or - is binary).</summary>
    public bool IsOperandEnd(int k)
        => k >= 0 && k < Tokens.Length && (Tokens[k].Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier or SqlTokenKind.Number
                                               or SqlTokenKind.String or SqlTokenKind.Blob or SqlTokenKind.Parameter
                                           || IsPunct(k, ')') || IsWord(k, "END") || IsWord(k, "NULL"));

    public bool IsWord(int i, string word) => i >= 0 && i < Tokens.Length && Tokens[i].Is(Text, word);

    public bool IsPunct(int i, char c) => i >= 0 && i < Tokens.Length && Tokens[i].Kind == SqlTokenKind.Punctuation && Text[Tokens[i].Start] == c;
}
