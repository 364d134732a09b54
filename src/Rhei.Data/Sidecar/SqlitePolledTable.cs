using Microsoft.Data.Sqlite;
using Rhei.Data.Oltp;
using Rhei.Data.Schema;

namespace Rhei.Data.Sidecar;

/// <summary>A followed table with its polling SQL: the mirrored columns, then the watermark columns, then the soft-delete column.</summary>
internal sealed class SqlitePolledTable
{
    public SqlitePolledTable(SidecarTable table, string? softDelete)
    {
        Table = table;
        Schema = SidecarMirrorTable.From(table).Schema;
        SoftDelete = softDelete;
        var watermark = new[] { table.UpdatedAtColumn! }.Concat(table.PrimaryKey).Select(SqlIdentifier.Quote).ToArray();
        WatermarkList = string.Join(", ", watermark);
        OrderList = WatermarkList;
        DescendingOrderList = string.Join(", ", watermark.Select(c => c + " DESC"));
        KeyList = string.Join(", ", table.PrimaryKey.Select(SqlIdentifier.Quote));
        var select = table.Columns.Select(c => SqlIdentifier.Quote(c.Name)).Concat(watermark);
        if (softDelete is not null)
        {
            SoftDeletedPredicate = $"coalesce({SqlIdentifier.Quote(softDelete)}, 0) NOT IN (0, '0', 'false', 'False', '')";
            select = select.Append($"({SoftDeletedPredicate})");
        }

        SelectList = string.Join(", ", select);
    }

    public SidecarTable Table { get; }

    /// <summary>The table as the mirror holds it (its mirror types and key ordinals), for staging polled rows.</summary>
    public TableSchema Schema { get; }

    public string? SoftDelete { get; }

    public string? SoftDeletedPredicate { get; }

    public string SelectList { get; }

    public string WatermarkList { get; }

    public string OrderList { get; }

    public string DescendingOrderList { get; }

    public string KeyList { get; }

    /// <summary>The row's compound watermark (updated-at value, then the key).</summary>
    public object?[] Watermark(SqliteDataReader reader)
    {
        var mark = new object?[1 + Table.PrimaryKey.Count];
        for (var i = 0; i < mark.Length; i++)
        {
            var value = reader.GetValue(Table.Columns.Count + i);
            mark[i] = value is DBNull ? null : value;
        }

        return mark;
    }

    public bool IsSoftDeleted(SqliteDataReader reader)
        => SoftDelete is not null && reader.GetInt64(Table.Columns.Count + 1 + Table.PrimaryKey.Count) != 0;

    /// <summary>Whether a watermark binds to a native statement (<see cref="SqliteRowReader.Bind(int, long)"/>): INTEGER and TEXT parts.</summary>
    public static bool Bindable(object?[]? watermark) => watermark is null || watermark.All(v => v is long or string);

    /// <summary>The predicate "strictly after <paramref name="watermark"/>" with positional parameters ?1, ?2… for its parts.</summary>
    public string AfterPositional(object?[]? watermark)
    {
        if (watermark is null)
        {
            return $"{SqlIdentifier.Quote(Table.UpdatedAtColumn!)} IS NOT NULL";
        }

        var names = Enumerable.Range(1, watermark.Length).Select(i => "?" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return $"({WatermarkList}) > ({string.Join(", ", names)})";
    }

    /// <summary>The predicate "strictly after <paramref name="watermark"/>", binding its values to <paramref name="command"/>.</summary>
    public string After(SqliteCommand command, object?[]? watermark)
    {
        if (watermark is null)
        {
            return $"{SqlIdentifier.Quote(Table.UpdatedAtColumn!)} IS NOT NULL";
        }

        var names = new string[watermark.Length];
        for (var i = 0; i < watermark.Length; i++)
        {
            names[i] = "$w" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            command.Parameters.AddWithValue(names[i], watermark[i] ?? DBNull.Value);
        }

        return $"({WatermarkList}) > ({string.Join(", ", names)})";
    }
}
