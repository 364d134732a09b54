using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Rhei.Data.ChangeFeed;

/// <summary>
/// <see cref="RheiChange.Key"/> and <see cref="RheiChange.Values"/>: a read-only, case-insensitive name → value view over
/// the event's own value array and a column index shared by its batch. The change feed delivers hundreds of thousands of
/// changes per second; building two hashed dictionaries per change cost more than reading the change.
/// </summary>
internal sealed class ChangeRowDictionary : IReadOnlyDictionary<string, object>
{
    private readonly ChangeColumnIndex _index;
    private readonly object[] _values;

    /// <param name="index">The column names, in the order of <paramref name="values"/>.</param>
    /// <param name="values">One value per name, NULL as <see cref="DBNull"/>; owned by this view from now on.</param>
    public ChangeRowDictionary(ChangeColumnIndex index, object[] values)
    {
        _index = index;
        _values = values;
    }

    public int Count => _index.Count;

    public IEnumerable<string> Keys => this.Select(p => p.Key);

    public IEnumerable<object> Values => this.Select(p => p.Value);

    public object this[string key]
        => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The change has no column '{key}'.");

    public bool ContainsKey(string key) => _index.TryGetOrdinal(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object value)
    {
        if (_index.TryGetOrdinal(key, out var ordinal))
        {
            value = _values[ordinal];
            return true;
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        for (var i = 0; i < _index.Names.Count; i++)
        {
            // Only the ordinal each name maps to: a repeated name (never produced by SQLite) appears once, as in a dictionary.
            if (_index.TryGetOrdinal(_index.Names[i], out var ordinal) && ordinal == i)
            {
                yield return new KeyValuePair<string, object>(_index.Names[i], _values[i]);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
