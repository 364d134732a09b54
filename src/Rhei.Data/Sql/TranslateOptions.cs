using Rhei.Data.Schema;

namespace Rhei.Data.Sql;

/// <summary>How the DuckDB mirror is laid out, as far as translation cares.</summary>
internal readonly struct TranslateOptions
{
    /// <summary>
    /// The mirror keeps history: every replicated table has <c>_rhei_valid_from</c>, <c>_rhei_valid_to</c>
    /// (epoch milliseconds, NULL while current) and <c>_rhei_operation</c>, so plain reads must be limited to current rows.
    /// </summary>
    public bool TemporalMirror { get; init; }

    /// <summary>Whether a table (name as written, unquoted, optionally schema-qualified) carries period columns; all tables when null.</summary>
    public Func<string, bool>? IsTemporalTable { get; init; }

    /// <summary>
    /// The mirror type of a column (table as written, unquoted, optionally schema-qualified; column unquoted), or null when
    /// unknown. A mirror column holds exactly one SQLite storage class (values that do not fit quarantine the table), so a
    /// known type is the storage class of every non-NULL value: the translator uses it to keep SQLite's per-row result
    /// types where DuckDB would unify branches into one type. When null, every column's type is unknown.
    /// </summary>
    public Func<string, string, MirrorType?>? ColumnType { get; init; }
}
