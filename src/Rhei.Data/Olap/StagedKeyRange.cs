using System.Globalization;
using Rhei.Data.Schema;

namespace Rhei.Data.Olap;

/// <summary>
/// The least and greatest key a batch stages, for a table keyed by one INTEGER column, as a filter on the mirror's
/// side of the apply's join. The join alone scans the whole mirror; with the range DuckDB skips every row group whose
/// zone map lies outside it, so the DELETE (or the UPDATE closing versions) reads the part of the mirror the batch
/// can touch instead of all of it. That kept apply's cost per event growing with the mirror's size (at 10M rows).
/// Any other key (text, blob, composite, or a value that is not an integer) gives no filter: the join alone decides.
/// </summary>
internal sealed class StagedKeyRange
{
    private readonly string? _column;
    private long _min = long.MaxValue;
    private long _max = long.MinValue;
    private bool _usable;

    public StagedKeyRange(TableSchema schema)
    {
        _usable = schema.KeyOrdinals.Count == 1 && schema.MirrorTypes[schema.KeyOrdinals[0]] == MirrorType.Integer;
        _column = _usable ? schema.QuotedColumns[schema.KeyOrdinals[0]] : null;
    }

    /// <summary>Takes one staged integer key into the range.</summary>
    public void Add(long key)
    {
        _min = Math.Min(_min, key);
        _max = Math.Max(_max, key);
    }

    /// <summary>Takes one staged key value into the range.</summary>
    public void Add(object? key)
    {
        if (!_usable)
        {
            return;
        }

        if (key is long value)
        {
            _min = Math.Min(_min, value);
            _max = Math.Max(_max, value);
        }
        else
        {
            _usable = false;
        }
    }

    /// <summary>" AND alias.key BETWEEN min AND max", or an empty string when no range applies.</summary>
    public string Filter(string alias)
        => _usable && _min <= _max
            ? string.Create(CultureInfo.InvariantCulture, $" AND {alias}.{_column} BETWEEN {_min} AND {_max}")
            : string.Empty;
}
