using System.Globalization;
using Rhei.Data.Schema;

namespace Rhei.Data.ChangeFeed;

/// <summary>
/// The column indexes of one read batch of the change feed: one per column list (the readers share one list per table and
/// batch) and one per table's key, so the changes of a batch share them.
/// </summary>
internal sealed class ChangeIndexes
{
    private readonly Dictionary<IReadOnlyList<string>, ChangeColumnIndex> _columns = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<TableSchema, ChangeColumnIndex> _keys = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<int, ChangeColumnIndex> _unnamedKeys = new();

    public ChangeColumnIndex Of(IReadOnlyList<string> columns)
    {
        if (!_columns.TryGetValue(columns, out var index))
        {
            index = new ChangeColumnIndex(columns);
            _columns.Add(columns, index);
        }

        return index;
    }

    /// <summary>The key's column names; past what the schema names (a table this engine does not know), <c>k0</c>, <c>k1</c>….</summary>
    public ChangeColumnIndex KeyOf(TableSchema? schema, int count)
    {
        if (schema is not null && schema.KeyOrdinals.Count == count)
        {
            if (!_keys.TryGetValue(schema, out var index))
            {
                index = new ChangeColumnIndex(KeyNames(schema, count));
                _keys.Add(schema, index);
            }

            return index;
        }

        if (schema is not null)
        {
            // The event's key is not the schema's (the table changed since): rare, so not cached.
            return new ChangeColumnIndex(KeyNames(schema, count));
        }

        if (!_unnamedKeys.TryGetValue(count, out var unnamed))
        {
            unnamed = new ChangeColumnIndex(KeyNames(null, count));
            _unnamedKeys.Add(count, unnamed);
        }

        return unnamed;
    }

    private static string[] KeyNames(TableSchema? schema, int count)
        => Enumerable.Range(0, count)
            .Select(k => schema is not null && k < schema.KeyOrdinals.Count ? schema.Columns[schema.KeyOrdinals[k]].Name : "k" + k.ToString(CultureInfo.InvariantCulture))
            .ToArray();
}
