namespace Rhei.Data.Sql;

/// <summary>Which routing rule decided; the rules are listed in the order they are tried.</summary>
internal enum RouteRule
{
    OlapUnavailable,
    InTransaction,
    Requested,
    Hint,
    DefaultRoute,
    WriteToOlapRefused,
    SideEffects,
    NotReplicated,
    Quarantined,
    Temporal,
    DuckDbOnlySyntax,
    Analytical,
    Lookup,
    NoTables,
}
