using Rhei.Data.Schema;

namespace Rhei.Data.Sql;

/// <summary>
/// What the planner may know about the DuckDB mirror, read-only: which tables it holds, their column types, whether
/// it keeps history and which tables are quarantined. The planner sees this and the statement, never the command or the
/// connection, so it can be tested against a catalog held in memory.
/// </summary>
internal interface IMirrorCatalog
{
    /// <summary>Whether reads may go to DuckDB now (a mirror exists and can take changes).</summary>
    bool OlapAvailable { get; }

    /// <summary>The mirror keeps history (<c>Sync Mode=Temporal</c>): period columns and <c>FOR SYSTEM_TIME</c> can be answered.</summary>
    bool TemporalMirror { get; }

    /// <summary>
    /// The replicated tables and their columns as of now, or null when nothing is replicated. Every schema change gives a
    /// new instance, so the reference identifies a schema version (translations are cached against it).
    /// </summary>
    IReadOnlyDictionary<string, TableSchema>? Tables { get; }

    /// <summary>Whether the mirror holds <paramref name="table"/>.</summary>
    bool IsReplicated(string table);

    /// <summary>Whether <paramref name="table"/> has a history in the mirror.</summary>
    bool IsTemporal(string table);

    /// <summary>Why the mirror set <paramref name="table"/> aside, or null when it is not quarantined.</summary>
    string? QuarantineReason(string table);

    /// <summary>
    /// How SQLite would run <paramref name="sqliteText"/> (one statement, as SQLite reads it), or null when it cannot say
    /// (no SQLite at hand, or SQLite cannot plan the text there). Cached by text and schema version by the implementation.
    /// </summary>
    SqliteQueryPlan? SqlitePlan(string sqliteText) => null;

    /// <summary>About how many rows the mirror holds for <paramref name="table"/> (current rows), or null when unknown.</summary>
    long? RowCount(string table) => null;
}
