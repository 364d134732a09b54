namespace Rhei.Data.Sql.Syntax;

/// <summary>
/// A common table expression declared by a WITH clause: <paramref name="Name"/> (unquoted) at token
/// <paramref name="NameToken"/>, visible to the tokens strictly between <paramref name="ScopeStart"/> (the WITH) and
/// <paramref name="ScopeEnd"/> (the close of the group the WITH stands in, or the end of the statement).
/// </summary>
internal sealed record SqlCteDeclaration(string Name, int NameToken, int ScopeStart, int ScopeEnd)
{
    public bool IsVisibleAt(int token) => token > ScopeStart && token < ScopeEnd;
}
