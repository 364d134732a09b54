using Rhei.Data.Olap;
using Rhei.Data.Oltp;
using Rhei.Data.Schema;

namespace Rhei.Data.Sync;

/// <summary>The changes of one table in one batch, ready to apply, or the reason it cannot be.</summary>
internal sealed class TableChanges : IDisposable
{
    public TableChanges(TableSchema schema) => Schema = schema;

    public TableSchema Schema { get; }

    /// <summary>Compacted changes as boxed rows (destructive mode, from the bridge).</summary>
    public List<RowChange> Rows { get; } = new();

    /// <summary>
    /// Compacted changes read from the trigger log (destructive mode): every key the batch touched, each with the
    /// row of its current image in <see cref="Images"/> or none (the row is gone); null when the changes are in
    /// <see cref="Rows"/>.
    /// </summary>
    public PendingKeys? Keys { get; private set; }

    /// <summary>
    /// The new rows (destructive, with <see cref="Keys"/>) or versions (temporal, with <see cref="Versions"/>) written
    /// straight into DuckDB data chunks while the log was read; null when the changes hold boxed values.
    /// </summary>
    public ApplyChunks? Images { get; set; }

    /// <summary>Every version in log order (temporal mode).</summary>
    public List<TemporalEvent> Versions { get; } = new();

    /// <summary>Set when a value does not fit its mirror column: the table must be quarantined.</summary>
    public string? QuarantineReason { get; set; }

    public string? OffendingKey { get; set; }

    public long Inserted { get; set; }

    public long Updated { get; set; }

    public long Deleted { get; set; }

    /// <summary>
    /// Takes a destructive batch's keys, whose images are in <see cref="Images"/>, as its net changes, counted as
    /// <see cref="ChangeCompactor"/> counts them: the first operation tells an insert from an update, a key whose
    /// row is gone is deleted (and counted unless it was inserted within the batch).
    /// </summary>
    public void TakeNetChanges(PendingKeys keys)
    {
        Keys = keys;
        foreach (ref readonly var entry in keys.Entries)
        {
            if (entry.Image >= 0)
            {
                if (entry.First == 'I')
                {
                    Inserted++;
                }
                else
                {
                    Updated++;
                }
            }
            else if (entry.First != 'I')
            {
                Deleted++;
            }
        }
    }

    /// <summary>Frees the data chunks (their memory is DuckDB's); boxed changes hold nothing to free.</summary>
    public void Dispose()
    {
        Images?.Dispose();
        Images = null;
    }
}
