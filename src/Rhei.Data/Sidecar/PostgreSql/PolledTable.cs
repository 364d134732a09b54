namespace Rhei.Data.Sidecar.PostgreSql;

/// <summary>
/// A table the PostgreSQL timestamp capture polls: its description, the <c>updated_at</c> column the watermark
/// leads with, and the soft-delete column when <c>Delete Detection=SoftDelete</c>.
/// </summary>
internal sealed class PolledTable
{
    private readonly int _updatedAtOrdinal;
    private readonly int _softDeleteOrdinal;

    private PolledTable(PostgreSqlTableInfo info, int updatedAtOrdinal, int softDeleteOrdinal)
    {
        Info = info;
        _updatedAtOrdinal = updatedAtOrdinal;
        _softDeleteOrdinal = softDeleteOrdinal;
        var columns = info.Table.Columns;
        QuotedUpdatedAt = PostgreSqlCatalog.QuoteIdentifier(columns[updatedAtOrdinal].Name);
        WatermarkColumns = string.Join(", ", new[] { QuotedUpdatedAt }.Concat(info.KeyOrdinals.Select(o => PostgreSqlCatalog.QuoteIdentifier(columns[o].Name))));
        // Aliased: beside the select list, a second output column named "updated_at" would make ORDER BY ambiguous.
        WatermarkTexts = string.Join(", ", WatermarkColumns.Split(", ").Select((c, i) => $"{c}::text AS _rhei_watermark_{i}"));

        // What a staged row carries besides its values, computed by the server: the change time as epoch milliseconds
        // (floored, as DateTimeOffset.ToUnixTimeMilliseconds does; a timestamp without zone taken as UTC, a date at
        // midnight) and the soft-delete flag (set: not null and not false, as IsSoftDeleted reads it).
        var softDeleted = softDeleteOrdinal < 0
            ? "false"
            : $"({PostgreSqlCatalog.QuoteIdentifier(columns[softDeleteOrdinal].Name)} IS NOT NULL AND {PostgreSqlCatalog.QuoteIdentifier(columns[softDeleteOrdinal].Name)}::text <> 'false')";
        var epoch = info.Types[updatedAtOrdinal].Kind == PostgreSqlValueKind.Date ? $"{QuotedUpdatedAt}::timestamp" : QuotedUpdatedAt;
        StagingFlags = $"CASE WHEN isfinite({QuotedUpdatedAt}) THEN floor(extract(epoch FROM {epoch}) * 1000)::bigint END AS _rhei_time, {softDeleted} AS _rhei_deleted";
    }

    /// <summary>The change time (epoch milliseconds, bigint) and the soft-delete flag (boolean), selected after the row for staging.</summary>
    public string StagingFlags { get; }

    public PostgreSqlTableInfo Info { get; }

    public int[] KeyOrdinals => Info.KeyOrdinals;

    public string QuotedUpdatedAt { get; }

    /// <summary><c>"updated_at", "id"</c>: the compound watermark's columns, in order.</summary>
    public string WatermarkColumns { get; }

    /// <summary>The same columns as PostgreSQL's text.</summary>
    public string WatermarkTexts { get; }

    public static PolledTable Create(PostgreSqlTableInfo info, SidecarSettings settings)
    {
        var table = info.Table;
        settings.TableSettings.TryGetValue(table.Name, out var tableSettings);
        var updatedAt = tableSettings?.UpdatedAtColumn ?? settings.UpdatedAtColumn;
        var createdAt = tableSettings?.CreatedAtColumn ?? settings.CreatedAtColumn;
        var updatedAtOrdinal = IndexOf(table, updatedAt);
        if (updatedAtOrdinal < 0)
        {
            throw PostgreSqlErrors.Refuse(
                $"table {table.Name} has no column {updatedAt} (Updated At Column), which timestamp capture polls by: add it, name the table's own column in its sidecar settings, or use Sidecar Capture=LogicalReplication");
        }

        if (info.Types[updatedAtOrdinal].Kind is not (PostgreSqlValueKind.Timestamp or PostgreSqlValueKind.TimestampTz or PostgreSqlValueKind.Date))
        {
            throw PostgreSqlErrors.Refuse($"table {table.Name}: column {table.Columns[updatedAtOrdinal].Name} (Updated At Column) is {table.Columns[updatedAtOrdinal].SourceType}, not a timestamp or date");
        }

        var softDeleteOrdinal = -1;
        if (settings.DeleteDetection == SidecarDeleteDetection.SoftDelete)
        {
            var softDelete = settings.SoftDeleteColumn ?? "";
            softDeleteOrdinal = IndexOf(table, softDelete);
            if (softDeleteOrdinal < 0)
            {
                throw PostgreSqlErrors.Refuse($"table {table.Name} has no column '{softDelete}' (Soft Delete Column)");
            }
        }

        var described = table with
        {
            UpdatedAtColumn = table.Columns[updatedAtOrdinal].Name,
            CreatedAtColumn = IndexOf(table, createdAt) is var c and >= 0 ? table.Columns[c].Name : null,
        };
        return new PolledTable(info with { Table = described }, updatedAtOrdinal, softDeleteOrdinal);
    }

    /// <summary>Whether the row's soft-delete column is set (not null, not false).</summary>
    public bool IsSoftDeleted(object?[] values)
        => _softDeleteOrdinal >= 0 && values[_softDeleteOrdinal] is { } value && value is not false;

    /// <summary>The row's <c>updated_at</c> as the change's source time (a timestamp without zone is taken as UTC).</summary>
    public DateTimeOffset? CommitTime(object?[] values) => values[_updatedAtOrdinal] switch
    {
        DateTimeOffset offset => offset,
        DateTime dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)),
        DateOnly date => new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
        _ => null,
    };

    /// <summary>The watermark as literals cast to the columns' types: <c>'2026-…'::timestamp with time zone, '42'::bigint</c>.</summary>
    public string WatermarkLiterals(string timestamp, string[] key)
    {
        var columns = Info.Table.Columns;
        var parts = new List<string> { Literal(timestamp, columns[_updatedAtOrdinal].SourceType) };
        for (var k = 0; k < KeyOrdinals.Length && k < key.Length; k++)
        {
            parts.Add(Literal(key[k], columns[KeyOrdinals[k]].SourceType));
        }

        return string.Join(", ", parts);
    }

    // standard_conforming_strings is on (PostgreSQL's default since 9.1): a quote is the only character to double.
    private static string Literal(string text, string sourceType) => $"CAST('{text.Replace("'", "''", StringComparison.Ordinal)}' AS {sourceType})";

    private static int IndexOf(SidecarTable table, string column)
    {
        for (var i = 0; i < table.Columns.Count; i++)
        {
            if (string.Equals(table.Columns[i].Name, column, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
