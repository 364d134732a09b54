using Rhei.Data.Schema;

namespace Rhei.Data.Olap;

/// <summary>DDL of the DuckDB mirror tables and of the engine's bookkeeping tables in DuckDB.</summary>
internal static class MirrorDdl
{
    public const string ValidFrom = "_rhei_valid_from";
    public const string ValidTo = "_rhei_valid_to";
    public const string Operation = "_rhei_operation";

    public static void CreateSystemTables(DuckDbSession session)
    {
        session.Execute(
            $"CREATE TABLE IF NOT EXISTS {MirrorState.WatermarkTable} (consumer_id VARCHAR NOT NULL, seq BIGINT NOT NULL);"
            + $"CREATE TABLE IF NOT EXISTS {MirrorState.TableStateTable} (tbl VARCHAR NOT NULL, floor_seq BIGINT NOT NULL, schema_json VARCHAR NOT NULL, quarantine_reason VARCHAR, offending_key VARCHAR);"
            + $"CREATE TABLE IF NOT EXISTS {MirrorState.MetaTable} (key VARCHAR NOT NULL, value BIGINT NOT NULL);");
    }

    /// <summary>
    /// Creates (or replaces) the mirror of a table. Every column is nullable and there is no key
    /// constraint: SQLite admits NULL in non-integer keys, temporal mirrors hold several versions per
    /// key, and appends are faster without an index; the sync keeps keys unique itself.
    /// </summary>
    public static void Create(DuckDbSession session, TableSchema schema, RheiSyncMode mode)
        => session.Execute($"CREATE OR REPLACE TABLE {schema.QuotedName} ({ColumnList(schema, mode)})");

    public static void Drop(DuckDbSession session, string table)
        => session.Execute("DROP TABLE IF EXISTS " + SqlIdentifier.Quote(table));

    public static void AddColumn(DuckDbSession session, string table, RheiColumn column)
        => session.Execute($"ALTER TABLE {SqlIdentifier.Quote(table)} ADD COLUMN {SqlIdentifier.Quote(column.Name)} {SqliteTypeMapper.ToDuckDb(SqliteTypeMapper.Map(column.DeclaredType))}");

    public static void DropColumn(DuckDbSession session, string table, string column)
        => session.Execute($"ALTER TABLE {SqlIdentifier.Quote(table)} DROP COLUMN {SqlIdentifier.Quote(column)}");

    public static string ColumnList(TableSchema schema, RheiSyncMode mode)
    {
        var columns = schema.Columns.Select((c, i) => schema.QuotedColumns[i] + " " + SqliteTypeMapper.ToDuckDb(schema.MirrorTypes[i]));
        if (mode == RheiSyncMode.Temporal)
        {
            columns = columns.Concat([$"{ValidFrom} BIGINT", $"{ValidTo} BIGINT", $"{Operation} VARCHAR"]);
        }

        return string.Join(", ", columns);
    }
}
