using System.Runtime.CompilerServices;
using Rhei.Data.Olap;
using Rhei.Data.Schema;
using Rhei.Data.Sync;

namespace Rhei.Data.Oltp;

/// <summary>
/// Takes the current rows a destructive batch's join of the change log to a table returns, one per logged event,
/// into the <see cref="PendingKeys"/> entries of the keys they belong to. Each row is checked against the mirror's
/// types once, kept or not (a key matched under the column's collation may differ from the logged one); the first
/// misfit marks the table for quarantine.
/// </summary>
internal sealed class PendingRowCollector
{
    private readonly TableChanges _changes;
    private readonly PendingKeys _keys;
    private readonly int _offset;
    private readonly int _integerKey;

    // Reused until a row is kept: most rows are kept, duplicates are not.
    private object?[]? _key;

    /// <param name="changes">The table's changes in the batch.</param>
    /// <param name="keys">The keys the batch logged for the table.</param>
    /// <param name="offset">The reader's column of the table's first column.</param>
    public PendingRowCollector(TableChanges changes, PendingKeys keys, int offset)
    {
        _changes = changes;
        _keys = keys;
        _offset = offset;
        _integerKey = changes.Schema.KeyOrdinals.Count == 1 ? offset + changes.Schema.KeyOrdinals[0] : -1;
    }

    /// <summary>Whether the reader's current row holds a joined row: a matched row's key columns are never NULL.</summary>
    public bool HasRow(SqliteRowReader reader) => !reader.IsNull(_offset + _changes.Schema.KeyOrdinals[0]);

    /// <summary>Takes the reader's current row; false when it does not fit the mirror (the table is marked for quarantine).</summary>
    public bool Take(SqliteRowReader reader)
    {
        var schema = _changes.Schema;

        // A single INTEGER key is looked up before the row is read: a key logged more than once joins once
        // per event, and those repeats are skipped without boxing their values.
        ref var entry = ref Unsafe.NullRef<PendingKeys.Entry>();
        var found = false;
        if (_integerKey >= 0 && IntegerAt(reader, _integerKey) is { } integer)
        {
            entry = ref _keys.Find(integer);
            found = true;
            if (!Unsafe.IsNullRef(ref entry) && entry.Values is not null)
            {
                return true;
            }
        }

        var values = new object?[schema.MirrorTypes.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.GetValue(_offset + i);
        }

        var keyOrdinals = schema.KeyOrdinals;
        var key = _key ??= new object?[keyOrdinals.Count];
        for (var k = 0; k < key.Length; k++)
        {
            key[k] = values[keyOrdinals[k]];
        }

        if (!found)
        {
            entry = ref _keys.Find(key);
        }

        if (!Unsafe.IsNullRef(ref entry))
        {
            if (entry.Values is not null)
            {
                return true;
            }

            entry.Values = values;
        }

        if (MirrorTypeFit.FirstMisfit(schema, values) is { } column)
        {
            _changes.QuarantineReason = MirrorTypeFit.Misfit(schema, column, values[column]);
            _changes.OffendingKey = RowKeyComparer.Format(key);
            return false;
        }

        if (!Unsafe.IsNullRef(ref entry))
        {
            _key = null;
        }

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
}
