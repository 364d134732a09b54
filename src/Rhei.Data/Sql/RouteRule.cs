namespace Rhei.Data.Sql;

/// <summary>
/// Which rule decided a plan. The router's rules are listed in the order they are tried; <see cref="Control"/> and
/// <see cref="Untranslatable"/> are the planner's own. The name is the string <c>RheiRouteExplanation.Rule</c>,
/// <c>PRAGMA rhei_route</c> and the route metric show.
/// </summary>
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

    /// <summary>A read without analytical shape that SQLite would answer by reading a large replicated table end to end: DuckDB scans it faster.</summary>
    FullScan,

    /// <summary>An analytical read that SQLite answers through a key of a large table (a handful of rows): SQLite is faster than a DuckDB round trip.</summary>
    KeyedSearch,
    Lookup,
    NoTables,

    /// <summary>A <c>PRAGMA rhei_*</c> control command, answered by the provider itself.</summary>
    Control,

    /// <summary>The router chose DuckDB but a statement does not translate faithfully, so SQLite answers.</summary>
    Untranslatable,
}
