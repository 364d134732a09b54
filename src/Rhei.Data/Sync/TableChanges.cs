using Rhei.Data.Schema;

namespace Rhei.Data.Sync;

/// <summary>The changes of one table in one batch, ready to apply, or the reason it cannot be.</summary>
internal sealed class TableChanges
{
    public TableChanges(TableSchema schema) => Schema = schema;

    public TableSchema Schema { get; }

    /// <summary>Compacted changes (destructive mode).</summary>
    public List<RowChange> Rows { get; } = new();

    /// <summary>Every version in log order (temporal mode).</summary>
    public List<TemporalEvent> Versions { get; } = new();

    /// <summary>Set when a value does not fit its mirror column: the table must be quarantined.</summary>
    public string? QuarantineReason { get; set; }

    public string? OffendingKey { get; set; }

    public long Inserted { get; set; }

    public long Updated { get; set; }

    public long Deleted { get; set; }
}
