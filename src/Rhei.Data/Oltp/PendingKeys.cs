using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Rhei.Data.Sync;

namespace Rhei.Data.Oltp;

/// <summary>
/// The keys one destructive batch touched in a table, in first-seen order, each with its first operation and,
/// once read, its current row. Keys compare as <see cref="RowKeyComparer"/> does. A single INTEGER key (every
/// rowid table's usual key) is looked up by its value and kept as a long: no key array or boxed long per event,
/// which was most of the cost of compacting a large batch. A long equals only a long under the comparer, so
/// keeping integers in a map of their own changes no answer.
/// </summary>
internal sealed class PendingKeys
{
    private readonly List<Entry> _entries = new();
    private readonly Dictionary<long, int> _integers = new();
    private readonly Dictionary<object?[], int> _others = new(RowKeyComparer.Instance);
    private readonly bool _single;

    public PendingKeys(int keyCount) => _single = keyCount == 1;

    public int Count => _entries.Count;

    /// <summary>
    /// Records an event for a single-column integer key; only the first operation per key is kept. Returns the key's
    /// entry number (for <see cref="At"/>), or -1 for a table whose key has more columns.
    /// </summary>
    public int Add(long key, char op)
    {
        if (!_single)
        {
            Add([key], op);
            return -1;
        }

        ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_integers, key, out var exists);
        if (!exists)
        {
            index = _entries.Count;
            _entries.Add(new Entry(op, null, key, null));
        }

        return index;
    }

    /// <summary>The entry numbered <paramref name="index"/> by <see cref="Add(long, char)"/>.</summary>
    public ref Entry At(int index) => ref CollectionsMarshal.AsSpan(_entries)[index];

    /// <summary>Records an event for any key; only the first operation per key is kept. The array is kept when new.</summary>
    public void Add(object?[] key, char op)
    {
        if (_single && key[0] is long l)
        {
            Add(l, op);
            return;
        }

        ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_others, key, out var exists);
        if (!exists)
        {
            index = _entries.Count;
            _entries.Add(new Entry(op, key, 0, null));
        }
    }

    /// <summary>The entry of a single-column integer key, or a null reference when the batch did not log it.</summary>
    public ref Entry Find(long key)
    {
        if (!_single)
        {
            return ref Find([key]);
        }

        return ref _integers.TryGetValue(key, out var index) ? ref CollectionsMarshal.AsSpan(_entries)[index] : ref Unsafe.NullRef<Entry>();
    }

    /// <summary>The entry of a key, or a null reference when the batch did not log it.</summary>
    public ref Entry Find(object?[] key)
    {
        if (_single && key[0] is long l)
        {
            return ref Find(l);
        }

        return ref _others.TryGetValue(key, out var index) ? ref CollectionsMarshal.AsSpan(_entries)[index] : ref Unsafe.NullRef<Entry>();
    }

    /// <summary>Every key in first-seen order.</summary>
    public ReadOnlySpan<Entry> Entries => CollectionsMarshal.AsSpan(_entries);

    /// <summary>
    /// A logged key: its first operation in the batch and its row as SQLite holds it, either boxed (<see cref="Values"/>,
    /// the bridge's images) or as a row of the batch's data chunks (<see cref="Image"/>, the trigger log's reads).
    /// </summary>
    internal struct Entry
    {
        private readonly object?[]? _key;

        public Entry(char first, object?[]? key, long integer, object?[]? values)
        {
            First = first;
            _key = key;
            Integer = integer;
            Values = values;
            Image = -1;
        }

        public char First { get; }

        /// <summary>Whether the key is one INTEGER, held in <see cref="Integer"/> (no key array).</summary>
        public readonly bool IsInteger => _key is null;

        public long Integer { get; }

        /// <summary>The logged key's values (a new array for an integer key).</summary>
        public readonly object?[] Key => _key ?? [Integer];

        public object?[]? Values { get; set; }

        /// <summary>The row of the key's current image in the batch's chunks, or -1 when no row was read (the row is gone).</summary>
        public int Image { get; set; }

        /// <summary>
        /// For a kept image whose key is not one INTEGER: the key as the row holds it, which under the column's collation
        /// may differ from the logged one and is what the mirror's copy is keyed by.
        /// </summary>
        public object?[]? RowKey { get; set; }
    }
}
