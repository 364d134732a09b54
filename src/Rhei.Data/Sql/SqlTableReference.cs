namespace Rhei.Data.Sql;

/// <summary>
/// A table named in a FROM/JOIN clause (CTE names and table-valued functions excluded).
/// Token indices point into <see cref="SqlStatement.Tokens"/> so the translator can rewrite the reference in place.
/// </summary>
internal sealed record SqlTableReference(string? Schema, string Name, string? Alias)
{
    /// <summary>Schema-qualified name as written, unquoted (<c>main.orders</c>).</summary>
    public string QualifiedName => Schema is null ? Name : Schema + "." + Name;

    /// <summary>Index of the first token of the name.</summary>
    public int FirstToken { get; init; }

    /// <summary>Index just past the last token of the name.</summary>
    public int NameEndToken { get; init; }

    /// <summary>Index just past the reference: name, temporal clause and alias.</summary>
    public int EndToken { get; init; }

    /// <summary>Index of the alias token, or -1.</summary>
    public int AliasToken { get; init; } = -1;

    /// <summary>The <c>FOR SYSTEM_TIME</c> clause attached to this reference, if any.</summary>
    public SqlTemporalClause? Temporal { get; init; }
}
