using System.Runtime.InteropServices;
using Rhei.Data.Sync;
using Rhei.Data.Schema;

namespace Rhei.Data.Olap;

/// <summary>
/// Applies one table's batch to its mirror, set-based: the rows go through the appender into a
/// staging table, then one DELETE and one INSERT (or UPDATE and INSERT for history) move them.
/// Runs inside the caller's DuckDB transaction.
/// </summary>
internal static class MirrorApplier
{
    private const string Stage = "_rhei_stage";
    private const string StageKind = "_rhei_kind";

    public static void Apply(DuckDbSession session, TableChanges changes, RheiSyncMode mode)
    {
        if (mode == RheiSyncMode.Temporal)
        {
            ApplyTemporal(session, changes);
        }
        else
        {
            ApplyDestructive(session, changes);
        }
    }

    private static void ApplyDestructive(DuckDbSession session, TableChanges changes)
    {
        if (changes.Rows.Count == 0)
        {
            return;
        }

        var schema = changes.Schema;
        CreateStage(session, schema, RheiSyncMode.Destructive);
        using (var appender = session.CreateAppender(Stage))
        {
            foreach (var change in changes.Rows)
            {
                appender.Append(change.Values is null ? "D" : "U");
                AppendRow(appender, schema, change.Key, change.Values);
                appender.EndRow();
            }

            appender.Close();
        }

        var columns = string.Join(", ", schema.QuotedColumns);

        // Every touched key is deleted first, so an upsert never meets a stale copy (INSERT OR
        // REPLACE in SQLite replaces without a delete event).
        session.Execute(
            $"DELETE FROM {schema.QuotedName} AS t USING {Stage} AS s WHERE {KeyMatch(schema)};"
            + $"INSERT INTO {schema.QuotedName} ({columns}) SELECT {columns} FROM {Stage} WHERE {StageKind} = 'U';"
            + $"DROP TABLE {Stage};");
    }

    private static void ApplyTemporal(DuckDbSession session, TableChanges changes)
    {
        if (changes.Versions.Count == 0)
        {
            return;
        }

        var schema = changes.Schema;
        CreateStage(session, schema, RheiSyncMode.Temporal);

        // Versions of one key, in log order: each closes at the next one's time. The versions are chained by
        // index (next[i] is the key's following version, or -1) rather than collected into a list per key:
        // most keys have one version in a batch, and a list each was a large share of the apply.
        var versions = changes.Versions;
        var next = new int[versions.Count];
        var firsts = new List<int>();
        var latest = new Dictionary<object?[], int>(versions.Count, RowKeyComparer.Instance);
        for (var i = 0; i < versions.Count; i++)
        {
            next[i] = -1;
            ref var last = ref CollectionsMarshal.GetValueRefOrAddDefault(latest, versions[i].Key, out var exists);
            if (exists)
            {
                next[last] = i;
            }
            else
            {
                firsts.Add(i);
            }

            last = i;
        }

        using (var appender = session.CreateAppender(Stage))
        {
            foreach (var first in firsts)
            {
                var key = versions[first].Key;

                // Close the live version the mirror already has, at the first change's time.
                appender.Append("C");
                AppendRow(appender, schema, key, null);
                appender.AppendNull();
                appender.Append(versions[first].Timestamp);
                appender.AppendNull();
                appender.EndRow();

                for (var i = first; i >= 0; i = next[i])
                {
                    var version = versions[i];
                    if (version.Values is null)
                    {
                        continue;
                    }

                    appender.Append("V");
                    AppendRow(appender, schema, key, version.Values);
                    appender.Append(version.Timestamp);
                    if (next[i] >= 0)
                    {
                        appender.Append(Math.Max(versions[next[i]].Timestamp, version.Timestamp));
                    }
                    else
                    {
                        appender.AppendNull();
                    }

                    appender.Append(version.Operation.ToString());
                    appender.EndRow();
                }
            }

            appender.Close();
        }

        var columns = string.Join(", ", schema.QuotedColumns) + $", {MirrorDdl.ValidFrom}, {MirrorDdl.ValidTo}, {MirrorDdl.Operation}";
        session.Execute(
            $"UPDATE {schema.QuotedName} AS t SET {MirrorDdl.ValidTo} = greatest(s.{MirrorDdl.ValidTo}, t.{MirrorDdl.ValidFrom}) FROM {Stage} AS s WHERE s.{StageKind} = 'C' AND t.{MirrorDdl.ValidTo} IS NULL AND {KeyMatch(schema)};"
            + $"INSERT INTO {schema.QuotedName} ({columns}) SELECT {columns} FROM {Stage} WHERE {StageKind} = 'V';"
            + $"DROP TABLE {Stage};");
    }

    private static void CreateStage(DuckDbSession session, TableSchema schema, RheiSyncMode mode)
        => session.Execute($"CREATE OR REPLACE TEMP TABLE {Stage} ({StageKind} VARCHAR, {MirrorDdl.ColumnList(schema, mode)})");

    /// <summary>Appends the table's columns: the row's values, or for a key-only row the key and NULLs.</summary>
    private static void AppendRow(DuckDbAppender appender, TableSchema schema, object?[] key, object?[]? values)
    {
        for (var i = 0; i < schema.Columns.Count; i++)
        {
            object? value;
            if (values is not null)
            {
                value = values[i];
            }
            else
            {
                var k = IndexOf(schema.KeyOrdinals, i);
                value = k >= 0 ? key[k] : null;
            }

            MirrorAppend.Value(appender, value, schema.MirrorTypes[i]);
        }
    }

    private static int IndexOf(IReadOnlyList<int> list, int value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }

        return -1;
    }

    private static string KeyMatch(TableSchema schema)
        => string.Join(" AND ", schema.KeyOrdinals.Select(i => $"t.{schema.QuotedColumns[i]} IS NOT DISTINCT FROM s.{schema.QuotedColumns[i]}"));
}
