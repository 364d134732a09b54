using System.Text;

namespace Rhei.Data.Bridge;

/// <summary>
/// The table names and column lists of the records one read decodes. Each record spells them out (a table may be altered
/// between two events), but consecutive events of a table nearly always carry the same ones: comparing the bytes with the
/// table's last list lets them share one string per table and one column array, instead of allocating both per event.
/// </summary>
internal sealed class BridgeNameCache
{
    private const int MaxTables = 64;

    private readonly List<(byte[] Utf8, string Name)> _tables = new();
    private readonly Dictionary<string, (string[] Names, byte[][] Utf8)> _columns = new(StringComparer.Ordinal);
    private string _table = string.Empty;
    private (string[] Names, byte[][] Utf8)? _candidate;
    private string[]? _names;
    private byte[][]? _utf8;

    /// <summary>The table name these UTF-8 bytes spell, shared with earlier records of the same table.</summary>
    public string Table(ReadOnlySpan<byte> utf8)
    {
        foreach (var (bytes, name) in _tables)
        {
            if (utf8.SequenceEqual(bytes))
            {
                return name;
            }
        }

        var table = Encoding.UTF8.GetString(utf8);
        if (_tables.Count < MaxTables)
        {
            _tables.Add((utf8.ToArray(), table));
        }

        return table;
    }

    /// <summary>Starts the column list of a record of <paramref name="table"/> with <paramref name="count"/> columns.</summary>
    public BridgeNameCache StartColumns(string table, int count)
    {
        _table = table;
        _candidate = _columns.TryGetValue(table, out var last) && last.Names.Length == count ? last : null;
        (_names, _utf8) = _candidate is null ? (new string[count], new byte[count][]) : (null, null);
        return this;
    }

    /// <summary>Column <paramref name="index"/> of the list being read.</summary>
    public void Name(int index, ReadOnlySpan<byte> utf8)
    {
        if (_names is null)
        {
            var candidate = _candidate!.Value;
            if (utf8.SequenceEqual(candidate.Utf8[index]))
            {
                return;
            }

            // Differs from the table's last list: this record gets its own, starting with what matched so far.
            _names = new string[candidate.Names.Length];
            _utf8 = new byte[candidate.Names.Length][];
            Array.Copy(candidate.Names, _names, index);
            Array.Copy(candidate.Utf8, _utf8, index);
        }

        _names[index] = Encoding.UTF8.GetString(utf8);
        _utf8![index] = utf8.ToArray();
    }

    /// <summary>The record's column list: the table's last one when every name matched, else the new one (then remembered).</summary>
    public string[] Finish()
    {
        if (_names is null)
        {
            return _candidate!.Value.Names;
        }

        _columns[_table] = (_names, _utf8!);
        return _names;
    }
}
