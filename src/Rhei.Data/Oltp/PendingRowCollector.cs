using System.Runtime.CompilerServices;
using Rhei.Data.Olap;
using Rhei.Data.Schema;
using Rhei.Data.Sync;

namespace Rhei.Data.Oltp;

/// <summary>
/// Takes the current rows a destructive batch's join of the change log to a table returns, one per logged event,
/// straight from SQLite's cells into the batch's data chunks (<see cref="ApplyChunks"/>), and marks the
/// <see cref="PendingKeys"/> entry each belongs to with its row there. A key logged more than once joins once per
/// event: the first row is kept, the repeats (the same row, read in the same snapshot) are skipped before anything
/// is read. Each row is checked against the mirror's types once, kept or not (a key matched under the column's
/// collation may differ from the logged one); the first misfit marks the table for quarantine.
/// </summary>
internal sealed class PendingRowCollector
{
    private readonly TableChanges _changes;
    private readonly PendingKeys _keys;
    private readonly ApplyChunks _images;
    private readonly int _offset;
    private readonly int _integerKey;

    /// <param name="changes">The table's changes in the batch.</param>
    /// <param name="keys">The keys the batch logged for the table.</param>
    /// <param name="images">Where the rows kept are written.</param>
    /// <param name="offset">The reader's column of the table's first column.</param>
    public PendingRowCollector(TableChanges changes, PendingKeys keys, ApplyChunks images, int offset)
    {
        _changes = changes;
        _keys = keys;
        _images = images;
        _offset = offset;
        _integerKey = changes.Schema.KeyOrdinals.Count == 1 ? offset + changes.Schema.KeyOrdinals[0] : -1;
    }

    /// <summary>Whether the reader's current row holds a joined row: a matched row's key columns are never NULL.</summary>
    public bool HasRow(SqliteRowReader reader) => !reader.IsNull(_offset + _changes.Schema.KeyOrdinals[0]);

    /// <summary>
    /// Takes the joined row of the reader's current event, if any. <paramref name="logged"/> is the event's entry when its
    /// key is one INTEGER (else -1): a joined row whose key is that same integer belongs to it, found without a lookup,
    /// and its key cell also tells whether a row was joined at all. False when the row does not fit the mirror.
    /// </summary>
    public bool TakeJoined(SqliteRowReader reader, int logged, long loggedKey)
    {
        if (_integerKey >= 0 && logged >= 0)
        {
            int storage;
            long value = 0;
            if (reader.Cell(_integerKey) is { } cell)
            {
                storage = cell.StorageClass;
                if (storage == SQLitePCL.raw.SQLITE_INTEGER)
                {
                    value = cell.Int64;
                }
            }
            else
            {
                storage = reader.StorageClass(_integerKey);
                if (storage == SQLitePCL.raw.SQLITE_INTEGER)
                {
                    value = reader.GetInt64(_integerKey);
                }
            }

            if (storage == SQLitePCL.raw.SQLITE_NULL)
            {
                return true;
            }

            if (storage == SQLitePCL.raw.SQLITE_INTEGER && value == loggedKey)
            {
                return TakeInto(reader, ref _keys.At(logged), null);
            }
        }

        return !HasRow(reader) || Take(reader);
    }

    /// <summary>Takes the reader's current row; false when it does not fit the mirror (the table is marked for quarantine).</summary>
    public bool Take(SqliteRowReader reader)
    {
        // A single INTEGER key is found by its value; any other key by its values boxed, as the comparer wants them.
        object?[]? rowKey = null;
        ref var entry = ref Unsafe.NullRef<PendingKeys.Entry>();
        if (_integerKey >= 0 && IntegerAt(reader, _integerKey) is { } integer)
        {
            entry = ref _keys.Find(integer);
        }
        else
        {
            rowKey = ReadRowKey(reader);
            entry = ref _keys.Find(rowKey);
        }

        if (Unsafe.IsNullRef(ref entry))
        {
            // A row no logged key names exactly is not the mirror's to take, but a misfit in it is still reported.
            return _images.Fits(reader, _offset, out var unfit) || Quarantine(reader, unfit, rowKey);
        }

        return TakeInto(reader, ref entry, rowKey);
    }

    /// <summary>Writes the row as the entry's image unless it has one (a repeat of the key); false on a misfit.</summary>
    private bool TakeInto(SqliteRowReader reader, ref PendingKeys.Entry entry, object?[]? rowKey)
    {
        if (entry.Image >= 0)
        {
            return true;
        }

        if (!_images.TryAdd(reader, _offset, out var misfit))
        {
            return Quarantine(reader, misfit, rowKey);
        }

        entry.Image = _images.Count - 1;
        entry.RowKey = rowKey;
        return true;
    }

    /// <summary>The column's value when it is an INTEGER, read with one cell; null otherwise.</summary>
    private static long? IntegerAt(SqliteRowReader reader, int column)
    {
        if (reader.Cell(column) is { } cell)
        {
            return cell.StorageClass == SQLitePCL.raw.SQLITE_INTEGER ? cell.Int64 : null;
        }

        return reader.StorageClass(column) == SQLitePCL.raw.SQLITE_INTEGER ? reader.GetInt64(column) : null;
    }

    private object?[] ReadRowKey(SqliteRowReader reader)
    {
        var keyOrdinals = _changes.Schema.KeyOrdinals;
        var key = new object?[keyOrdinals.Count];
        for (var k = 0; k < key.Length; k++)
        {
            key[k] = reader.GetValue(_offset + keyOrdinals[k]);
        }

        return key;
    }

    /// <summary>Marks the table for quarantine, naming the column, its declared and mirror type, the value's storage class and the key.</summary>
    private bool Quarantine(SqliteRowReader reader, int column, object?[]? rowKey)
    {
        var schema = _changes.Schema;
        _changes.QuarantineReason = MirrorTypeFit.Misfit(schema, column, reader.GetValue(_offset + column));
        _changes.OffendingKey = RowKeyComparer.Format(rowKey ?? ReadRowKey(reader));
        return false;
    }
}
