using Rhei.Data.ChangeFeed;
using Rhei.Data.Olap;
using Rhei.Data.Oltp;
using Rhei.Data.Schema;
using Rhei.Data.Sync;

namespace Rhei.Data.Bridge;

/// <summary>
/// Turns events read from the bridge log into the pipeline's <see cref="ChangeBatch"/>, with the trigger log reader's rules:
/// destructive changes compacted per key (the first operation tells an insert from an update; the last image is the row),
/// temporal versions kept in order, a value the mirror cannot hold or a NULL key marks the table for quarantine.
/// </summary>
internal static class BridgeBatchBuilder
{
    public static ChangeBatch Build(
        IReadOnlyList<CapturedEvent> events, long position, BridgeLog log, long registryVersion,
        Func<string, TableSchema?> resolve, Func<string, long> floor, RheiSyncMode mode)
    {
        var batch = new ChangeBatch(position)
        {
            ToInclusive = position,
            HighWater = log.Watermark,
            PrunedThrough = log.PrunedThrough,
            RegistryVersion = registryVersion,
        };

        // Destructive: per table, key → (first operation, last image), in first-seen order.
        var pending = new Dictionary<string, PendingKeys>(StringComparer.OrdinalIgnoreCase);
        var schemas = new Dictionary<string, TableSchema?>(StringComparer.OrdinalIgnoreCase);
        foreach (var e in events)
        {
            if (batch.EventCount == 0)
            {
                batch.FirstSequence = e.Sequence;
            }

            batch.ToInclusive = e.Sequence;
            batch.EventCount++;
            if (!schemas.TryGetValue(e.Table, out var schema))
            {
                schema = resolve(e.Table);
                schemas[e.Table] = schema;
            }

            if (schema is null)
            {
                batch.UnknownTables.Add(e.Table);
                continue;
            }

            if (e.Sequence <= floor(schema.Name))
            {
                continue;
            }

            if (!batch.Tables.TryGetValue(schema.Name, out var changes))
            {
                changes = new TableChanges(schema);
                batch.Tables.Add(schema.Name, changes);
            }

            if (changes.QuarantineReason is not null)
            {
                continue;
            }

            if (Array.FindIndex(e.Key, k => k is null) is var nullKey and >= 0)
            {
                changes.QuarantineReason = MirrorTypeFit.NullKey(schema, nullKey);
                changes.OffendingKey = RowKeyComparer.Format(e.Key);
                continue;
            }

            var values = e.Values is null ? null : Align(schema, e);
            if (values is not null && !Fits(schema, values, changes, e.Key))
            {
                continue;
            }

            if (mode == RheiSyncMode.Temporal)
            {
                changes.Versions.Add(new TemporalEvent(e.Operation, e.CommitTimeMs, e.Key, e.Operation == 'D' ? null : values ?? new object?[schema.Columns.Count]));
                Count(changes, e.Operation);
                continue;
            }

            if (!pending.TryGetValue(schema.Name, out var keys))
            {
                keys = new PendingKeys(schema.KeyOrdinals.Count);
                pending.Add(schema.Name, keys);
            }

            keys.Add(e.Key, e.Operation);
            keys.Find(e.Key).Values = values;
        }

        foreach (var (table, keys) in pending)
        {
            var changes = batch.Tables[table];
            if (changes.QuarantineReason is not null)
            {
                continue;
            }

            ChangeCompactor.AddNetChanges(changes, keys);
        }

        return batch;
    }

    /// <summary>The image in the schema's column order (the table may have been altered since the event was bridged).</summary>
    private static object?[] Align(TableSchema schema, CapturedEvent e)
    {
        var columns = e.Columns!;
        var values = e.Values!;
        if (columns.Count == schema.Columns.Count && columns.Select((c, i) => string.Equals(c, schema.Columns[i].Name, StringComparison.OrdinalIgnoreCase)).All(same => same))
        {
            return values;
        }

        var aligned = new object?[schema.Columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            if (schema.ColumnIndex(columns[i]) is var at and >= 0)
            {
                aligned[at] = values[i];
            }
        }

        return aligned;
    }

    private static bool Fits(TableSchema schema, object?[] values, TableChanges changes, object?[] key)
    {
        if (MirrorTypeFit.FirstMisfit(schema, values) is not { } column)
        {
            return true;
        }

        changes.QuarantineReason = MirrorTypeFit.Misfit(schema, column, values[column]);
        changes.OffendingKey = RowKeyComparer.Format(key);
        return false;
    }

    private static void Count(TableChanges changes, char op)
    {
        switch (op)
        {
            case 'I':
                changes.Inserted++;
                break;
            case 'U':
                changes.Updated++;
                break;
            default:
                changes.Deleted++;
                break;
        }
    }
}
