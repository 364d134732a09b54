namespace Rhei.Data.Sql;

/// <summary>Shape of a statement, used by the router to tell analytics from lookups.</summary>
[Flags]
internal enum SqlFeatures
{
    None = 0,
    Aggregate = 1 << 0,
    GroupBy = 1 << 1,
    Having = 1 << 2,
    Distinct = 1 << 3,
    Window = 1 << 4,
    Join = 1 << 5,
    SetOperation = 1 << 6,
    Cte = 1 << 7,
    Subquery = 1 << 8,
    OrderBy = 1 << 9,
    Limit = 1 << 10,
    DuckDbOnlySyntax = 1 << 11,

    /// <summary>The features that make a read worth sending to the column store.</summary>
    Analytical = Aggregate | GroupBy | Having | Distinct | Window | Join | SetOperation | Cte | Subquery,
}
