namespace Rhei.Data.ChangeFeed;

/// <summary>
/// Column name → ordinal (case-insensitive) for one column list, shared by every change of a read batch that carries that
/// list, so a delivered change needs no dictionary of its own.
/// </summary>
internal sealed class ChangeColumnIndex
{
    private readonly Dictionary<string, int> _ordinals;

    public ChangeColumnIndex(IReadOnlyList<string> names)
    {
        Names = names;
        _ordinals = new Dictionary<string, int>(names.Count, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Count; i++)
        {
            // A list never repeats a name (SQLite refuses duplicate columns); should one, the first wins, as a reader's GetOrdinal.
            _ordinals.TryAdd(names[i], i);
        }
    }

    public IReadOnlyList<string> Names { get; }

    public int Count => _ordinals.Count;

    public bool TryGetOrdinal(string name, out int ordinal) => _ordinals.TryGetValue(name, out ordinal);
}
