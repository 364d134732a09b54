using Rhei.Data.Sync;

namespace Rhei.Data.Oltp;

/// <summary>
/// Folds the events of each key in a destructive batch into its net change, for every change source (the trigger
/// log and the bridge): the first operation tells an insert from an update, the row as it finally stands (read
/// from SQLite, or the last image bridged) is what the mirror gets, and a key whose row is gone is deleted.
/// </summary>
internal static class ChangeCompactor
{
    /// <summary>Adds each key's net change to <paramref name="changes"/>, in the order the keys were first seen.</summary>
    public static void AddNetChanges(TableChanges changes, PendingKeys keys)
    {
        foreach (ref readonly var pending in keys.Entries)
        {
            AddNetChange(changes, pending.First, pending.Key, pending.Values);
        }
    }

    /// <summary>Adds one key's net change: <paramref name="values"/> is its final row, null when it no longer exists.</summary>
    public static void AddNetChange(TableChanges changes, char first, object?[] key, object?[]? values)
    {
        if (values is not null)
        {
            var kind = first == 'I' ? RowChangeKind.Insert : RowChangeKind.Update;
            changes.Rows.Add(new RowChange(kind, key, values));
            if (kind == RowChangeKind.Insert)
            {
                changes.Inserted++;
            }
            else
            {
                changes.Updated++;
            }

            return;
        }

        // Inserted and deleted within the batch, the mirror never saw it; it is deleted all the same, because a stale
        // row with this key (left by INSERT OR REPLACE, which fires no delete trigger) must not survive either.
        changes.Rows.Add(new RowChange(RowChangeKind.Delete, key, null));
        if (first != 'I')
        {
            changes.Deleted++;
        }
    }
}
