using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Rhei.Data.Oltp;
using Rhei.Data.Sync;
using Rhei.Data.Schema;

namespace Rhei.Data.Olap;

/// <summary>
/// Applies one table's batch to its mirror, set-based: the batch's keys go through the appender into a
/// staging table, one DELETE (or, for history, one UPDATE closing the live versions) joins it, and the new rows
/// or versions are then appended straight into the mirror. Runs inside the caller's DuckDB transaction.
/// </summary>
internal static class MirrorApplier
{
    private const string Stage = "_rhei_stage";

    // Up to this many keys a DELETE lists them; beyond, a staging table joined by the DELETE is cheaper to plan and run.
    private const int ListedKeysLimit = 64;

    // A destructive batch with few new rows goes through the session's cached one-row INSERTs (`inserts`).
    public static void Apply(DuckDbSession session, MirrorRowStatements inserts, TableChanges changes, RheiSyncMode mode)
    {
        if (mode == RheiSyncMode.Temporal)
        {
            ApplyTemporal(session, changes);
        }
        else
        {
            ApplyDestructive(session, inserts, changes);
        }
    }

    private static void ApplyDestructive(DuckDbSession session, MirrorRowStatements inserts, TableChanges changes)
    {
        if (changes.Keys is { } keys)
        {
            ApplyDestructiveChunks(session, inserts, changes, keys);
            return;
        }

        if (changes.Rows.Count == 0)
        {
            return;
        }

        // Every touched key is deleted first, so an upsert never meets a stale copy (INSERT OR REPLACE in SQLite
        // replaces without a delete event). Only the keys go through a staging table; the rows kept are appended
        // straight into the mirror afterwards, instead of being staged whole and copied by an INSERT … SELECT.
        var schema = changes.Schema;
        var phase = ApplyPhaseTimes.Start();
        CreateKeyStage(session, schema, timestamp: false);
        var range = new StagedKeyRange(schema);
        using (var appender = session.CreateAppender(Stage))
        {
            foreach (var change in changes.Rows)
            {
                // The key as SQLite holds the row when it is kept (under the column's collation it may differ from
                // the logged one), the logged key for a delete: as the whole staged rows were matched before.
                if (change.Values is { } values)
                {
                    AppendKeyOf(appender, schema, values);
                    range.Add(values[schema.KeyOrdinals[0]]);
                }
                else
                {
                    AppendKey(appender, schema, change.Key);
                    range.Add(change.Key[0]);
                }

                appender.EndRow();
            }

            appender.Close();
        }

        phase = ApplyPhaseTimes.Stop(ApplyPhase.Stage, phase);
        session.Execute($"DELETE FROM {schema.QuotedName} AS t USING {Stage} AS s WHERE {KeyMatch(schema)}{range.Filter("t")}; DROP TABLE {Stage};");
        phase = ApplyPhaseTimes.Stop(ApplyPhase.Delete, phase);
        using (var appender = session.CreateAppender(schema.Name))
        {
            foreach (var change in changes.Rows)
            {
                if (change.Values is { } values)
                {
                    AppendValues(appender, schema, values);
                    appender.EndRow();
                }
            }

            appender.Close();
        }

        ApplyPhaseTimes.Stop(ApplyPhase.Append, phase);
    }

    /// <summary>
    /// The same for changes read from the trigger log: the keys are staged from the key map (the row's own key when it
    /// is kept, the logged one when it is gone), and the new rows go into the mirror as the data chunks they were
    /// read into.
    /// </summary>
    private static void ApplyDestructiveChunks(DuckDbSession session, MirrorRowStatements inserts, TableChanges changes, PendingKeys keys)
    {
        if (keys.Count == 0)
        {
            return;
        }

        var schema = changes.Schema;
        var phase = ApplyPhaseTimes.Start();
        var keyType = schema.MirrorTypes[schema.KeyOrdinals[0]];
        if (DeleteListedKeys(session, schema, keys, keyType))
        {
            phase = ApplyPhaseTimes.Stop(ApplyPhase.Delete, phase);
            AppendImages(session, inserts, changes, phase);
            return;
        }

        CreateKeyStage(session, schema, timestamp: false);
        var range = new StagedKeyRange(schema);
        using (var appender = session.CreateAppender(Stage))
        {
            foreach (ref readonly var entry in keys.Entries)
            {
                if (entry.IsInteger)
                {
                    MirrorAppend.Value(appender, entry.Integer, keyType);
                    range.Add(entry.Integer);
                }
                else
                {
                    var key = entry.Image >= 0 && entry.RowKey is { } rowKey ? rowKey : entry.Key;
                    AppendKey(appender, schema, key);
                    range.Add(key[0]);
                }

                appender.EndRow();
            }

            appender.Close();
        }

        phase = ApplyPhaseTimes.Stop(ApplyPhase.Stage, phase);
        session.Execute($"DELETE FROM {schema.QuotedName} AS t USING {Stage} AS s WHERE {KeyMatch(schema)}{range.Filter("t")}; DROP TABLE {Stage};");
        phase = ApplyPhaseTimes.Stop(ApplyPhase.Delete, phase);
        AppendImages(session, inserts, changes, phase);
    }

    /// <summary>
    /// The new rows of a destructive batch, appended as the data chunks they were read into; a few rows go through the
    /// table's cached one-row INSERT instead, cheaper than an appender's set-up and close (<see cref="MirrorRowStatements"/>).
    /// </summary>
    private static void AppendImages(DuckDbSession session, MirrorRowStatements inserts, TableChanges changes, long phase)
    {
        if (changes.Images is { Count: > 0 } images && !inserts.TryInsert(session, changes.Schema, images))
        {
            using var appender = session.CreateAppender(changes.Schema.Name);
            images.AppendTo(appender);
            appender.Close();
        }

        ApplyPhaseTimes.Stop(ApplyPhase.Append, phase);
    }

    /// <summary>
    /// A batch of at most <see cref="ListedKeysLimit"/> keys of one INTEGER key column (a Strong read right after a
    /// few writes) deletes them by an IN list of integer literals: no staging table to create, fill and drop, which
    /// is most of a one-row apply's time. False when the batch is larger or its keys are not all integers.
    /// </summary>
    private static bool DeleteListedKeys(DuckDbSession session, TableSchema schema, PendingKeys keys, MirrorType keyType)
    {
        if (keys.Count > ListedKeysLimit || schema.KeyOrdinals.Count != 1 || keyType != MirrorType.Integer)
        {
            return false;
        }

        var list = new StringBuilder();
        foreach (ref readonly var entry in keys.Entries)
        {
            if (!entry.IsInteger)
            {
                return false;
            }

            list.Append(list.Length == 0 ? string.Empty : ", ").Append(entry.Integer.ToString(CultureInfo.InvariantCulture));
        }

        session.Execute($"DELETE FROM {schema.QuotedName} WHERE {schema.QuotedColumns[schema.KeyOrdinals[0]]} IN ({list})");
        return true;
    }

    private static void ApplyTemporal(DuckDbSession session, TableChanges changes)
    {
        if (changes.Versions.Count == 0)
        {
            return;
        }

        var schema = changes.Schema;
        var phase = ApplyPhaseTimes.Start();

        // Versions of one key, in log order: each closes at the next one's time. The versions are chained by
        // index (next[i] is the key's following version, or -1) rather than collected into a list per key:
        // most keys have one version in a batch, and a list each was a large share of the apply. A single integer
        // key is found by its value, not by hashing a key array of boxed values; a long equals only a long under
        // RowKeyComparer, so keeping integers in a map of their own changes no answer.
        var versions = changes.Versions;
        var next = new int[versions.Count];
        var firsts = new List<int>(versions.Count);
        var latestInteger = new Dictionary<long, int>(versions[0].Key is null ? versions.Count : 0);
        var latest = new Dictionary<object?[], int>(RowKeyComparer.Instance);
        for (var i = 0; i < versions.Count; i++)
        {
            next[i] = -1;
            var key = versions[i].Key;
            bool exists;
            ref var last = ref key is null
                ? ref CollectionsMarshal.GetValueRefOrAddDefault(latestInteger, versions[i].IntegerKey, out exists)
                : ref key is [long integer]
                ? ref CollectionsMarshal.GetValueRefOrAddDefault(latestInteger, integer, out exists)
                : ref CollectionsMarshal.GetValueRefOrAddDefault(latest, key, out exists);
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

        phase = ApplyPhaseTimes.Stop(ApplyPhase.Compaction, phase);

        // Close the live version the mirror already has of each key, at its first change's time: one UPDATE over a
        // staging table of keys and times. Then the batch's versions are appended straight into the mirror (after the
        // UPDATE, which would otherwise close them too).
        CreateKeyStage(session, schema, timestamp: true);
        var range = new StagedKeyRange(schema);
        using (var appender = session.CreateAppender(Stage))
        {
            var keyType = schema.MirrorTypes[schema.KeyOrdinals[0]];
            foreach (var first in firsts)
            {
                if (versions[first].Key is { } key)
                {
                    AppendKey(appender, schema, key);
                    range.Add(key[0]);
                }
                else
                {
                    MirrorAppend.Value(appender, versions[first].IntegerKey, keyType);
                    range.Add(versions[first].IntegerKey);
                }

                appender.Append(versions[first].Timestamp);
                appender.EndRow();
            }

            appender.Close();
        }

        phase = ApplyPhaseTimes.Stop(ApplyPhase.Stage, phase);
        session.Execute(
            $"UPDATE {schema.QuotedName} AS t SET {MirrorDdl.ValidTo} = greatest(s.{MirrorDdl.ValidTo}, t.{MirrorDdl.ValidFrom}) FROM {Stage} AS s WHERE t.{MirrorDdl.ValidTo} IS NULL AND {KeyMatch(schema)}{range.Filter("t")};"
            + $"DROP TABLE {Stage};");
        phase = ApplyPhaseTimes.Stop(ApplyPhase.Delete, phase);
        if (changes.Images is { } images)
        {
            // Each version closes at the next one's time (never before it opened); the rows go in log order, whole chunks.
            for (var i = 0; i < versions.Count; i++)
            {
                var version = versions[i];
                if (version.Image >= 0)
                {
                    long? validTo = next[i] >= 0 ? Math.Max(versions[next[i]].Timestamp, version.Timestamp) : null;
                    images.SetVersion(version.Image, version.Timestamp, validTo, version.Operation);
                }
            }

            if (images.Count > 0)
            {
                using var appender = session.CreateAppender(schema.Name);
                images.AppendTo(appender);
                appender.Close();
            }

            ApplyPhaseTimes.Stop(ApplyPhase.Append, phase);
            return;
        }

        using (var appender = session.CreateAppender(schema.Name))
        {
            foreach (var first in firsts)
            {
                for (var i = first; i >= 0; i = next[i])
                {
                    var version = versions[i];
                    if (version.Values is null)
                    {
                        continue;
                    }

                    AppendValues(appender, schema, version.Values);
                    appender.Append(version.Timestamp);
                    if (next[i] >= 0)
                    {
                        appender.Append(Math.Max(versions[next[i]].Timestamp, version.Timestamp));
                    }
                    else
                    {
                        appender.AppendNull();
                    }

                    appender.AppendUtf8(version.Operation switch { 'I' => "I"u8, 'U' => "U"u8, _ => "D"u8 });
                    appender.EndRow();
                }
            }

            appender.Close();
        }

        ApplyPhaseTimes.Stop(ApplyPhase.Append, phase);
    }

    /// <summary>The staging table of one batch's keys (and, for history, the time that closes each key's live version).</summary>
    private static void CreateKeyStage(DuckDbSession session, TableSchema schema, bool timestamp)
    {
        var columns = schema.KeyOrdinals.Select(i => schema.QuotedColumns[i] + " " + SqliteTypeMapper.ToDuckDb(schema.MirrorTypes[i]));
        if (timestamp)
        {
            columns = columns.Append($"{MirrorDdl.ValidTo} BIGINT");
        }

        session.Execute($"CREATE OR REPLACE TEMP TABLE {Stage} ({string.Join(", ", columns)})");
    }

    private static void AppendKey(DuckDbAppender appender, TableSchema schema, object?[] key)
    {
        for (var k = 0; k < key.Length; k++)
        {
            MirrorAppend.Value(appender, key[k], schema.MirrorTypes[schema.KeyOrdinals[k]]);
        }
    }

    private static void AppendKeyOf(DuckDbAppender appender, TableSchema schema, object?[] values)
    {
        foreach (var ordinal in schema.KeyOrdinals)
        {
            MirrorAppend.Value(appender, values[ordinal], schema.MirrorTypes[ordinal]);
        }
    }

    private static void AppendValues(DuckDbAppender appender, TableSchema schema, object?[] values)
    {
        var types = schema.MirrorTypes;
        for (var i = 0; i < values.Length; i++)
        {
            MirrorAppend.Value(appender, values[i], types[i]);
        }
    }

    private static string KeyMatch(TableSchema schema)
        => string.Join(" AND ", schema.KeyOrdinals.Select(i => $"t.{schema.QuotedColumns[i]} IS NOT DISTINCT FROM s.{schema.QuotedColumns[i]}"));
}
