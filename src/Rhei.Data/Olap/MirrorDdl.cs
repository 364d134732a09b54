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

    /// <summary>Drops a table's mirror, and its history set aside by a quarantine, if any.</summary>
    public static void Drop(DuckDbSession session, string table)
        => session.Execute("DROP TABLE IF EXISTS " + SqlIdentifier.Quote(table) + "; DROP TABLE IF EXISTS " + SqlIdentifier.Quote(QuarantinedName(table)));

    /// <summary>
    /// Takes a quarantined table's mirror out of reach of reads, whose rows are stale from now on. A destructive
    /// mirror is only a copy of SQLite and is dropped; a temporal mirror holds history SQLite does not have, so it
    /// is renamed aside and comes back with <see cref="Restore"/>.
    /// </summary>
    public static void Quarantine(DuckDbSession session, string table, RheiSyncMode mode)
    {
        if (mode != RheiSyncMode.Temporal)
        {
            session.Execute("DROP TABLE IF EXISTS " + SqlIdentifier.Quote(table));
            return;
        }

        if (Exists(session, table))
        {
            session.Execute("DROP TABLE IF EXISTS " + SqlIdentifier.Quote(QuarantinedName(table)));
            session.Execute($"ALTER TABLE {SqlIdentifier.Quote(table)} RENAME TO {SqlIdentifier.Quote(QuarantinedName(table))}");
        }
    }

    /// <summary>Puts a temporal mirror set aside by a quarantine back; true when the table's mirror exists afterwards.</summary>
    public static bool Restore(DuckDbSession session, string table)
    {
        if (Exists(session, QuarantinedName(table)))
        {
            session.Execute("DROP TABLE IF EXISTS " + SqlIdentifier.Quote(table));
            session.Execute($"ALTER TABLE {SqlIdentifier.Quote(QuarantinedName(table))} RENAME TO {SqlIdentifier.Quote(table)}");
            return true;
        }

        return Exists(session, table);
    }

    private static string QuarantinedName(string table) => "_rhei_quarantined_" + table;

    private static bool Exists(DuckDbSession session, string table)
    {
        using var reader = session.Query("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_name = $1", [table]);
        return reader.Read() && reader.GetInt64(0) > 0;
    }

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
