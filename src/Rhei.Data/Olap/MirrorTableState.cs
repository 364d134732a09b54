namespace Rhei.Data.Olap;

/// <summary>One table's row in <c>_rhei_table_state</c>.</summary>
/// <param name="Table">The table name.</param>
/// <param name="Floor">Events up to this sequence number are covered by the last full load and are skipped.</param>
/// <param name="SchemaJson">The schema the mirror table has now (registry JSON of one table).</param>
/// <param name="QuarantineReason">Why the table is quarantined, or null.</param>
/// <param name="OffendingKey">The key of the row at fault, or null.</param>
internal sealed record MirrorTableState(string Table, long Floor, string SchemaJson, string? QuarantineReason, string? OffendingKey);
