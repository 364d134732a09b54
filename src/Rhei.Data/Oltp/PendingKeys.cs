using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Rhei.Data.Sync;

namespace Rhei.Data.Oltp;

/// <summary>
/// The keys one destructive batch touched in a table, in first-seen order, each with its first operation and,
/// once read, its current row. Keys compare as <see cref="RowKeyComparer"/> does. A single INTEGER key (every
/// rowid table's usual key) is looked up by its value: no key array or boxed long per event, which was most of
/// the cost of compacting a large batch. A long equals only a long under the comparer, so keeping integers in a
/// map of their own changes no answer.
/// </summary>
internal sealed class PendingKeys
{
    private readonly List<Entry> _entries = new();
    private readonly Dictionary<long, int> _integers = new();
    private readonly Dictionary<object?[], int> _others = new(RowKeyComparer.Instance);
    private readonly bool _single;

    public PendingKeys(int keyCount) => _single = keyCount == 1;

    public int Count => _entries.Count;

    /// <summary>Records an event for a single-column integer key; only the first operation per key is kept.</summary>
    public void Add(long key, char op)
    {
        if (!_single)
        {
            Add([key], op);
            return;
        }

        ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_integers, key, out var exists);
        if (!exists)
        {
            index = _entries.Count;
            _entries.Add(new Entry(op, [key], null));
        }
    }

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
            _entries.Add(new Entry(op, key, null));
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

    /// <summary>A logged key: its first operation in the batch and its row as SQLite holds it (null if gone).</summary>
    internal struct Entry(char first, object?[] key, object?[]? values)
    {
        public char First { get; } = first;

        public object?[] Key { get; } = key;

        public object?[]? Values { get; set; } = values;
    }
}
