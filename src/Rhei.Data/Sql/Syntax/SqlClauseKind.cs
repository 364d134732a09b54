namespace Rhei.Data.Sql.Syntax;

/// <summary>
/// The clause a token belongs to at its own parenthesis level: the last clause keyword seen at that level before it
/// (the keyword itself included). A parenthesised group starts with <see cref="None"/>.
/// </summary>
internal enum SqlClauseKind : byte
{
    /// <summary>Before any clause keyword at this level (a CTE list, a parenthesised expression, a call's arguments).</summary>
    None,
    Select,

    /// <summary>A FROM clause's items (<c>FROM a JOIN b</c>); a FROM inside a call or after DISTINCT opens none.</summary>
    From,

    /// <summary>A join's <c>ON</c> or <c>USING</c> condition; the FROM clause goes on after it (<c>ON … , c</c>).</summary>
    JoinCondition,

    /// <summary>After an <c>ON</c> or <c>USING</c> outside a FROM clause: <c>PIVOT t ON a, b</c>, <c>ON CONFLICT</c>, <c>CREATE INDEX … ON</c>.</summary>
    OtherOn,
    Where,
    GroupBy,
    Having,
    Window,
    Qualify,
    OrderBy,
    Limit,
    Offset,

    /// <summary>After UNION, INTERSECT or EXCEPT, until the next member's SELECT or VALUES.</summary>
    Compound,
    Values,
    Set,
    Returning,
}
