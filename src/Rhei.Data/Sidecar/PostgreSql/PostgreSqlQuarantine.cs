using System.Collections.Concurrent;

namespace Rhei.Data.Sidecar.PostgreSql;

/// <summary>
/// Followed tables a PostgreSQL source stopped delivering, with the reason (a column type with no DuckDB mapping,
/// found when the tables are described, or a value that cannot map, found while copying or streaming). A quarantined
/// table gets no more rows or changes from the source; the pipeline reads <see cref="Tables"/> after each call and
/// quarantines the table in the mirror and in status, as the local sync does. Rows of the table the copy appended
/// before the bad value stay in the sink: the pipeline drops the quarantined table's mirror.
/// </summary>
internal sealed class PostgreSqlQuarantine
{
    private readonly ConcurrentDictionary<string, string> _tables = new(StringComparer.Ordinal);

    /// <summary>Quarantined table → why (names the column and the value's problem, never a value).</summary>
    public IReadOnlyDictionary<string, string> Tables => _tables;

    public bool Contains(string table) => _tables.ContainsKey(table);

    public void Add(string table, string reason) => _tables.TryAdd(table, reason);
}
