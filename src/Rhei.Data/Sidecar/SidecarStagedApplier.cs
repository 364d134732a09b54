using System.Globalization;
using Rhei.Data.Olap;
using Rhei.Data.Schema;
using Rhei.Data.Sync;

namespace Rhei.Data.Sidecar;

/// <summary>
/// Applies one table's staged poll rows (<see cref="SidecarStagedRows"/>) inside the caller's DuckDB transaction:
/// the data chunks are appended whole to a staging table of the mirror's column types; the rows' flags (soft-deleted,
/// change time) go beside them through the appender's typed path and are paired with them by position; then
/// set-based statements replace rows (destructive) or close and open versions (temporal), as
/// <see cref="SidecarApplier"/> does for row changes. Every key is staged at most once, so there is nothing to fold.
/// </summary>
internal static class SidecarStagedApplier
{
    private const string Rows = "_rhei_sidecar_rows";
    private const string Flags = "_rhei_sidecar_flags";
    private const string Stage = "_rhei_sidecar_staged";
    private const string Deleted = "_rhei_deleted";
    private const string From = "_rhei_from";
    private const string Live = "_rhei_live";

    public static (long Inserted, long Updated, long Deleted) Apply(DuckDbSession session, SidecarMirrorTable table, SidecarStagedRows staged, RheiSyncMode mode)
    {
        if (staged.Count == 0)
        {
            return (0, 0, 0);
        }

        var schema = table.Schema;
        var columns = string.Join(", ", staged.Table.Columns.Select(c => SqlIdentifier.Quote(c.Name)));
        session.Execute($"CREATE OR REPLACE TEMP TABLE {Rows} ({SidecarApplier.ColumnDefinitions(staged.Table, RheiSyncMode.Destructive)})");
        using (var appender = session.CreateAppender(Rows))
        {
            staged.AppendTo(appender);
            appender.Close();
        }

        var upserts = (long)staged.Count - staged.DeletedCount;
        if (mode == RheiSyncMode.Destructive && staged.DeletedCount == 0)
        {
            // Plain upserts: one DELETE joining the keys (its count tells updates from inserts), one INSERT … SELECT.
            var replaced = session.ExecuteNonQuery($"DELETE FROM {schema.QuotedName} AS t USING {Rows} AS s WHERE {KeyMatch(schema)}");
            session.Execute($"INSERT INTO {schema.QuotedName} ({columns}) SELECT {columns} FROM {Rows}; DROP TABLE {Rows};");
            return (upserts - replaced, replaced, 0);
        }

        StageFlags(session, staged);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var live = mode == RheiSyncMode.Temporal ? $" AND t.{MirrorDdl.ValidTo} IS NULL" : string.Empty;
        session.Execute(
            $"CREATE OR REPLACE TEMP TABLE {Stage} AS SELECT r.*, f.{Deleted}, coalesce(f.{From}, {now}) AS {From}, "
            + $"EXISTS (SELECT 1 FROM {schema.QuotedName} AS t WHERE {KeyMatch(schema, "r")}{live}) AS {Live} "
            + $"FROM {Rows} AS r POSITIONAL JOIN {Flags} AS f; DROP TABLE {Rows}; DROP TABLE {Flags};");
        long deleted, updated;
        using (var reader = session.Query($"SELECT count(*) FILTER (WHERE {Deleted} AND {Live}), count(*) FILTER (WHERE NOT {Deleted} AND {Live}) FROM {Stage}"))
        {
            reader.Read();
            deleted = reader.GetInt64(0);
            updated = reader.GetInt64(1);
        }

        if (mode == RheiSyncMode.Temporal)
        {
            session.Execute(
                $"UPDATE {schema.QuotedName} AS t SET {MirrorDdl.ValidTo} = greatest(s.{From}, t.{MirrorDdl.ValidFrom}) FROM {Stage} AS s WHERE s.{Live} AND t.{MirrorDdl.ValidTo} IS NULL AND {KeyMatch(schema)};"
                + $"INSERT INTO {schema.QuotedName} ({columns}, {MirrorDdl.ValidFrom}, {MirrorDdl.ValidTo}, {MirrorDdl.Operation}) "
                + $"SELECT {columns}, {From}, NULL, CASE WHEN {Live} THEN 'U' ELSE 'I' END FROM {Stage} WHERE NOT {Deleted};"
                + $"DROP TABLE {Stage};");
        }
        else
        {
            session.Execute(
                $"DELETE FROM {schema.QuotedName} AS t USING {Stage} AS s WHERE s.{Live} AND {KeyMatch(schema)};"
                + $"INSERT INTO {schema.QuotedName} ({columns}) SELECT {columns} FROM {Stage} WHERE NOT {Deleted};"
                + $"DROP TABLE {Stage};");
        }

        return (upserts - updated, updated, deleted);
    }

    /// <summary>The rows' flags in row order, through the appender's typed (chunk-writing) path.</summary>
    private static void StageFlags(DuckDbSession session, SidecarStagedRows staged)
    {
        session.Execute($"CREATE OR REPLACE TEMP TABLE {Flags} ({Deleted} BOOLEAN, {From} BIGINT)");
        using var appender = session.CreateAppender(Flags);
        for (var i = 0; i < staged.Count; i++)
        {
            appender.Append(staged.Deleted[i]);
            if (staged.Times[i] == SidecarStagedRows.UnknownTime)
            {
                appender.AppendNull();
            }
            else
            {
                appender.Append(staged.Times[i]);
            }

            appender.EndRow();
        }

        appender.Close();
    }

    private static string KeyMatch(TableSchema schema, string staged = "s")
        => string.Join(" AND ", schema.KeyOrdinals.Select(i => $"t.{schema.QuotedColumns[i]} = {staged}.{schema.QuotedColumns[i]}"));
}
