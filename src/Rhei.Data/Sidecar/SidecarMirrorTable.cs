using Rhei.Data.Schema;

namespace Rhei.Data.Sidecar;

/// <summary>
/// A followed table as the mirror holds it: the source's description, the schema the planner and translator see
/// (<see cref="Schema"/>), whether its mirror types are the SQLite mapping (then the local sync's value-fit rule
/// applies before DuckDB sees a value), and its quarantine.
/// </summary>
internal sealed record SidecarMirrorTable(SidecarTable Table, TableSchema Schema, bool SqliteTyped, string? QuarantineReason, string? OffendingKey)
{
    public static SidecarMirrorTable From(SidecarTable table)
    {
        TableSchema schema;
        try
        {
            schema = new TableSchema(new RheiTableSchema(table.Name, table.Columns.Select(c => new RheiColumn(c.Name, c.SourceType, c.IsNullable)), table.PrimaryKey));
        }
        catch (ArgumentException ex)
        {
            throw RheiException.Provider($"Table '{table.Name}' of the sidecar source cannot be mirrored: {ex.Message}", ex);
        }

        var sqliteTyped = table.Columns.All(c => string.Equals(c.DuckDbType, SqliteTypeMapper.ToDuckDb(SqliteTypeMapper.Map(c.SourceType)), StringComparison.OrdinalIgnoreCase));
        return new SidecarMirrorTable(table, schema, sqliteTyped, null, null);
    }

    public string Name => Table.Name;
}
