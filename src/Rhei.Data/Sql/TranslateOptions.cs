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
}
