using System.Globalization;
using Rhei.Data.Olap;
using Rhei.Data.Schema;
using Rhei.Data.Sync;

namespace Rhei.Data.Sidecar;

/// <summary>
/// Applies one table's sidecar changes to its mirror inside the caller's DuckDB transaction: the changes go to a
/// staging table through the appender (so every CLR value type the source hands over is written by DuckDB's own
/// conversions), then set-based statements replace rows (destructive) or close and open versions (temporal, with the
/// source's change time as <c>_rhei_valid_from</c>). Unchanged values (<see cref="SidecarUnchangedValue"/>) take the
/// previous version's value: from earlier in the batch, else from the mirror's live row.
/// </summary>
internal static class SidecarApplier
{
    private const string Stage = "_rhei_sidecar_stage";
    private const string Kind = "_rhei_kind";
    private const string From = "_rhei_from";
    private const string To = "_rhei_to";
    private const string Op = "_rhei_op";
    private const string Unchanged = "_rhei_unchanged";

    public static (long Inserted, long Updated, long Deleted) Apply(DuckDbSession session, SidecarMirrorTable table, IReadOnlyList<SidecarChange> changes, RheiSyncMode mode)
        => mode == RheiSyncMode.Temporal ? ApplyTemporal(session, table, changes) : ApplyDestructive(session, table, changes);

    /// <summary>The mirror table's column list, with the period columns in temporal mode.</summary>
    public static string ColumnDefinitions(SidecarTable table, RheiSyncMode mode)
    {
        var columns = table.Columns.Select(c => SqlIdentifier.Quote(c.Name) + " " + c.DuckDbType);
        if (mode == RheiSyncMode.Temporal)
        {
            columns = columns.Concat([$"{MirrorDdl.ValidFrom} BIGINT", $"{MirrorDdl.ValidTo} BIGINT", $"{MirrorDdl.Operation} VARCHAR"]);
        }

        return string.Join(", ", columns);
    }

    /// <summary>Appends one value as the mirror writes it: arrays as DuckDB list text (DuckDB casts it to the list type), an unchanged marker as NULL.</summary>
    public static void AppendValue(DuckDbAppender appender, object? value)
    {
        switch (value)
        {
            case byte[] bytes:
                appender.Append(bytes);
                break;
            case Array array:
                appender.Append(SidecarListText.Format(array));
                break;
            case SidecarUnchangedValue:
                appender.AppendNull();
                break;
            default:
                appender.AppendValue(value);
                break;
        }
    }

    private static (long, long, long) ApplyDestructive(DuckDbSession session, SidecarMirrorTable table, IReadOnlyList<SidecarChange> changes)
    {
        // A truncate (a delete with no key) empties the table: only the changes after the last one remain to apply.
        long truncated = 0;
        var first = 0;
        for (var i = changes.Count - 1; i >= 0; i--)
        {
            if (changes[i] is { Kind: SidecarChangeKind.Delete, Key.Length: 0 })
            {
                truncated = session.ExecuteNonQuery("DELETE FROM " + table.Schema.QuotedName);
                first = i + 1;
                break;
            }
        }

        // The last change of a key wins; an upsert's unchanged values come from the change before it.
        var latest = new Dictionary<object?[], SidecarChange>(RowKeyComparer.Instance);
        var order = new List<object?[]>();
        for (var i = first; i < changes.Count; i++)
        {
            var change = changes[i];
            if (latest.TryGetValue(change.Key, out var previous))
            {
                latest[change.Key] = Merge(previous, change);
            }
            else
            {
                latest[change.Key] = change;
                order.Add(change.Key);
            }
        }

        if (order.Count == 0)
        {
            return (0, 0, truncated);
        }

        if (!latest.Values.Any(HasUnchanged))
        {
            var (i, u, d) = ApplyDestructiveByKeys(session, table, latest, order);
            return (i, u, d + truncated);
        }

        CreateStage(session, table.Table);
        var unchangedColumns = new SortedSet<int>();
        using (var appender = session.CreateAppender(Stage))
        {
            foreach (var key in order)
            {
                var change = latest[key];
                AppendStageRow(appender, table, change, change.Kind == SidecarChangeKind.Upsert ? "U" : "D", null, null, null, unchangedColumns);
            }

            appender.Close();
        }

        long existingUpserts, existingDeletes;
        using (var reader = session.Query($"SELECT count(*) FILTER (WHERE s.{Kind} = 'U'), count(*) FILTER (WHERE s.{Kind} = 'D') FROM {Stage} AS s WHERE EXISTS (SELECT 1 FROM {table.Schema.QuotedName} AS t WHERE {KeyMatch(table)})"))
        {
            reader.Read();
            existingUpserts = reader.GetInt64(0);
            existingDeletes = reader.GetInt64(1);
        }

        FillUnchanged(session, table, unchangedColumns, liveOnly: false);
        var columns = string.Join(", ", table.Schema.QuotedColumns);
        session.Execute(
            $"DELETE FROM {table.Schema.QuotedName} AS t USING {Stage} AS s WHERE {KeyMatch(table)};"
            + $"INSERT INTO {table.Schema.QuotedName} ({columns}) SELECT {columns} FROM {Stage} WHERE {Kind} = 'U';"
            + $"DROP TABLE {Stage};");
        var upserts = latest.Values.Count(c => c.Kind == SidecarChangeKind.Upsert);
        return (upserts - existingUpserts, existingUpserts, existingDeletes + truncated);
    }

    /// <summary>
    /// The batch with every value present (no unchanged TOASTed value to fill from the mirror): only the keys are
    /// staged, one DELETE joining them removes the rows replaced or deleted (its count tells updates from inserts),
    /// and the new rows are appended straight into the mirror, with no staged copy of whole rows to INSERT … SELECT.
    /// </summary>
    private static (long, long, long) ApplyDestructiveByKeys(DuckDbSession session, SidecarMirrorTable table, Dictionary<object?[], SidecarChange> latest, List<object?[]> order)
    {
        var schema = table.Schema;
        var keyOrdinals = schema.KeyOrdinals;
        var keyColumns = string.Join(", ", keyOrdinals.Select(i => SqlIdentifier.Quote(table.Table.Columns[i].Name) + " " + table.Table.Columns[i].DuckDbType));
        session.Execute($"CREATE OR REPLACE TEMP TABLE {Stage} ({Kind} VARCHAR, {keyColumns})");
        long upserts = 0;
        using (var appender = session.CreateAppender(Stage))
        {
            foreach (var key in order)
            {
                var change = latest[key];
                var upsert = change.Kind == SidecarChangeKind.Upsert;
                upserts += upsert ? 1 : 0;
                appender.Append(upsert ? "U" : "D");
                foreach (var part in change.Key)
                {
                    AppendValue(appender, part);
                }

                appender.EndRow();
            }

            appender.Close();
        }

        var match = string.Join(" AND ", keyOrdinals.Select(i => $"t.{schema.QuotedColumns[i]} = s.{schema.QuotedColumns[i]}"));
        var deleted = session.ExecuteNonQuery($"DELETE FROM {schema.QuotedName} AS t USING {Stage} AS s WHERE s.{Kind} = 'D' AND {match}");
        var updated = session.ExecuteNonQuery($"DELETE FROM {schema.QuotedName} AS t USING {Stage} AS s WHERE s.{Kind} = 'U' AND {match}");
        session.Execute($"DROP TABLE {Stage}");
        if (upserts > 0)
        {
            using var appender = session.CreateAppender(schema.Name);
            var width = table.Table.Columns.Count;
            foreach (var key in order)
            {
                if (latest[key] is { Kind: SidecarChangeKind.Upsert, Values: { } values })
                {
                    for (var c = 0; c < width; c++)
                    {
                        AppendValue(appender, c < values.Length ? values[c] : null);
                    }

                    appender.EndRow();
                }
            }

            appender.Close();
        }

        return (upserts - updated, updated, deleted);
    }

    private static bool HasUnchanged(SidecarChange change)
    {
        if (change.Values is { } values)
        {
            foreach (var value in values)
            {
                if (value is SidecarUnchangedValue)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// A truncate (a delete with no key) closes every live version at its commit time, keeping the history: the
    /// changes before it apply first, then the close, then the changes after it open versions on the emptied table.
    /// </summary>
    private static (long, long, long) ApplyTemporal(DuckDbSession session, SidecarMirrorTable table, IReadOnlyList<SidecarChange> changes)
    {
        long inserted = 0, updated = 0, deleted = 0;
        var all = changes as SidecarChange[] ?? [.. changes];
        var start = 0;
        for (var i = 0; i <= all.Length; i++)
        {
            var truncate = i < all.Length && all[i] is { Kind: SidecarChangeKind.Delete, Key.Length: 0 };
            if (i < all.Length && !truncate)
            {
                continue;
            }

            if (i > start)
            {
                var (a, b, c) = ApplyTemporalRun(session, table, new ArraySegment<SidecarChange>(all, start, i - start));
                inserted += a;
                updated += b;
                deleted += c;
            }

            if (truncate)
            {
                var at = all[i].CommitTime is { } t ? SidecarTime.ToEpochMilliseconds(t) : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                deleted += session.ExecuteNonQuery(
                    $"UPDATE {table.Schema.QuotedName} SET {MirrorDdl.ValidTo} = greatest({at.ToString(CultureInfo.InvariantCulture)}, {MirrorDdl.ValidFrom}) WHERE {MirrorDdl.ValidTo} IS NULL");
            }

            start = i + 1;
        }

        return (inserted, updated, deleted);
    }

    private static (long, long, long) ApplyTemporalRun(DuckDbSession session, SidecarMirrorTable table, IReadOnlyList<SidecarChange> changes)
    {
        var versions = new Dictionary<object?[], List<SidecarChange>>(RowKeyComparer.Instance);
        var order = new List<object?[]>();
        foreach (var change in changes)
        {
            if (!versions.TryGetValue(change.Key, out var list))
            {
                versions[change.Key] = list = [];
                order.Add(change.Key);
            }

            list.Add(list.Count > 0 ? Merge(list[^1], change) : change);
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        long Time(SidecarChange c) => c.CommitTime is { } t ? SidecarTime.ToEpochMilliseconds(t) : now;

        // First the close rows (one per key, at its first change's time), to learn which keys have a live version.
        CreateStage(session, table.Table);
        var unchangedColumns = new SortedSet<int>();
        using (var appender = session.CreateAppender(Stage))
        {
            foreach (var key in order)
            {
                AppendStageRow(appender, table, versions[key][0], "C", Time(versions[key][0]), null, null, null);
            }

            appender.Close();
        }

        var live = new HashSet<object?[]>(RowKeyComparer.Instance);
        var keyColumns = string.Join(", ", table.Schema.KeyOrdinals.Select(i => "s." + table.Schema.QuotedColumns[i]));
        using (var reader = session.Query($"SELECT {keyColumns} FROM {Stage} AS s WHERE EXISTS (SELECT 1 FROM {table.Schema.QuotedName} AS t WHERE {KeyMatch(table)} AND t.{MirrorDdl.ValidTo} IS NULL)"))
        {
            while (reader.Read())
            {
                var key = new object?[reader.FieldCount];
                for (var i = 0; i < key.Length; i++)
                {
                    key[i] = reader.IsDBNull(i) ? null : reader.GetNativeValue(i);
                }

                live.Add(Normalize(key));
            }
        }

        long inserted = 0, updated = 0, deleted = 0;
        using (var appender = session.CreateAppender(Stage))
        {
            foreach (var key in order)
            {
                var list = versions[key];
                var isLive = live.Contains(Normalize(key));
                for (var i = 0; i < list.Count; i++)
                {
                    var change = list[i];
                    if (change.Kind == SidecarChangeKind.Delete)
                    {
                        deleted += isLive ? 1 : 0;
                        isLive = false;
                        continue;
                    }

                    var from = Time(change);
                    long? to = i + 1 < list.Count ? Math.Max(Time(list[i + 1]), from) : null;
                    AppendStageRow(appender, table, change, "V", from, to, isLive ? "U" : "I", unchangedColumns);
                    _ = isLive ? updated++ : inserted++;
                    isLive = true;
                }
            }

            appender.Close();
        }

        FillUnchanged(session, table, unchangedColumns, liveOnly: true);
        var columns = string.Join(", ", table.Schema.QuotedColumns);
        session.Execute(
            $"UPDATE {table.Schema.QuotedName} AS t SET {MirrorDdl.ValidTo} = greatest(s.{From}, t.{MirrorDdl.ValidFrom}) FROM {Stage} AS s WHERE s.{Kind} = 'C' AND t.{MirrorDdl.ValidTo} IS NULL AND {KeyMatch(table)};"
            + $"INSERT INTO {table.Schema.QuotedName} ({columns}, {MirrorDdl.ValidFrom}, {MirrorDdl.ValidTo}, {MirrorDdl.Operation}) SELECT {columns}, {From}, {To}, {Op} FROM {Stage} WHERE {Kind} = 'V';"
            + $"DROP TABLE {Stage};");
        return (inserted, updated, deleted);
    }

    /// <summary>
    /// A key in one CLR shape whichever side produced it (DuckDB returns INTEGER as int, a source may hand long), so
    /// the live-key lookup matches.
    /// </summary>
    private static object?[] Normalize(object?[] key)
    {
        var normal = new object?[key.Length];
        for (var i = 0; i < key.Length; i++)
        {
            normal[i] = key[i] switch
            {
                sbyte or byte or short or ushort or int or uint => Convert.ToInt64(key[i], CultureInfo.InvariantCulture),
                float f => (double)f,
                var other => other,
            };
        }

        return normal;
    }

    private static SidecarChange Merge(SidecarChange previous, SidecarChange next)
    {
        if (next.Values is not { } values || previous.Values is not { } before || !values.Any(v => v is SidecarUnchangedValue))
        {
            return next;
        }

        var merged = (object?[])values.Clone();
        for (var i = 0; i < merged.Length && i < before.Length; i++)
        {
            if (merged[i] is SidecarUnchangedValue)
            {
                merged[i] = before[i];
            }
        }

        return next with { Values = merged };
    }

    private static void CreateStage(DuckDbSession session, SidecarTable table)
        => session.Execute($"CREATE OR REPLACE TEMP TABLE {Stage} ({Kind} VARCHAR, {ColumnDefinitions(table, RheiSyncMode.Destructive)}, {From} BIGINT, {To} BIGINT, {Op} VARCHAR, {Unchanged} VARCHAR)");

    private static void AppendStageRow(DuckDbAppender appender, SidecarMirrorTable table, SidecarChange change, string kind, long? from, long? to, string? op, SortedSet<int>? unchangedColumns)
    {
        appender.Append(kind);
        var values = kind == "C" || change.Values is null ? null : change.Values;
        var keyOrdinals = table.Schema.KeyOrdinals;
        List<int>? unchanged = null;
        for (var c = 0; c < table.Table.Columns.Count; c++)
        {
            object? value;
            if (values is not null)
            {
                value = c < values.Length ? values[c] : null;
            }
            else
            {
                var k = IndexOf(keyOrdinals, c);
                value = k >= 0 ? change.Key[k] : null;
            }

            if (value is SidecarUnchangedValue)
            {
                (unchanged ??= []).Add(c);
                unchangedColumns?.Add(c);
            }

            AppendValue(appender, value);
        }

        AppendNullable(appender, from);
        AppendNullable(appender, to);
        if (op is null)
        {
            appender.AppendNull();
        }
        else
        {
            appender.Append(op);
        }

        if (unchanged is null)
        {
            appender.AppendNull();
        }
        else
        {
            appender.Append("," + string.Join(",", unchanged) + ",");
        }

        appender.EndRow();
    }

    private static void FillUnchanged(DuckDbSession session, SidecarMirrorTable table, SortedSet<int> columns, bool liveOnly)
    {
        foreach (var c in columns)
        {
            var column = table.Schema.QuotedColumns[c];
            var live = liveOnly ? $" AND t.{MirrorDdl.ValidTo} IS NULL" : string.Empty;
            session.Execute(
                $"UPDATE {Stage} AS s SET {column} = t.{column} FROM {table.Schema.QuotedName} AS t WHERE {KeyMatch(table)}{live} AND s.{Unchanged} LIKE '%,{c.ToString(CultureInfo.InvariantCulture)},%'");
        }
    }

    private static void AppendNullable(DuckDbAppender appender, long? value)
    {
        if (value is { } v)
        {
            appender.Append(v);
        }
        else
        {
            appender.AppendNull();
        }
    }

    private static int IndexOf(IReadOnlyList<int> ordinals, int column)
    {
        for (var i = 0; i < ordinals.Count; i++)
        {
            if (ordinals[i] == column)
            {
                return i;
            }
        }

        return -1;
    }

    private static string KeyMatch(SidecarMirrorTable table)
        => string.Join(" AND ", table.Schema.KeyOrdinals.Select(i => $"t.{table.Schema.QuotedColumns[i]} = s.{table.Schema.QuotedColumns[i]}"));
}
