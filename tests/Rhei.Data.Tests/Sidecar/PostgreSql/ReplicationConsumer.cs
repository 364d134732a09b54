using Rhei.Data.Sidecar;

namespace Rhei.Data.Tests.Sidecar.PostgreSql;

/// <summary>
/// Drives a sidecar source the way the pipeline does (read a batch, apply it, acknowledge its position) into an
/// in-memory model of the mirror: rows by key, unchanged values kept, an empty-key delete clearing the table. Keeps
/// every batch so tests can check where batches end.
/// </summary>
internal sealed class ReplicationConsumer(ISidecarSource source, SidecarPosition position)
{
    public SidecarPosition Position { get; private set; } = position;

    public Dictionary<string, Dictionary<string, object?[]>> Tables { get; } = new(StringComparer.Ordinal);

    public List<SidecarBatch> Batches { get; } = [];

    public List<SidecarChange> Changes { get; } = [];

    public void Load(string table, IEnumerable<object?[]> rows, Func<object?[], object?[]> key)
    {
        foreach (var row in rows)
        {
            Rows(table)[KeyText(key(row))] = row;
        }
    }

    public Dictionary<string, object?[]> Rows(string table)
    {
        if (!Tables.TryGetValue(table, out var rows))
        {
            Tables[table] = rows = new(StringComparer.Ordinal);
        }

        return rows;
    }

    /// <summary>Reads, applies and acknowledges batches until <paramref name="done"/> holds (or fails after a timeout).</summary>
    public async Task UntilAsync(Func<ReplicationConsumer, bool> done, int maxChanges = 1000, bool acknowledge = true, int timeoutSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!done(this))
        {
            Assert.True(DateTime.UtcNow < deadline, "the source did not deliver what the test waited for");
            await ReadOnceAsync(maxChanges, acknowledge);
        }
    }

    public async Task<SidecarBatch> ReadOnceAsync(int maxChanges = 1000, bool acknowledge = true)
    {
        var batch = await source.ReadAsync(Position, maxChanges, CancellationToken.None);
        Batches.Add(batch);
        foreach (var change in batch.Changes)
        {
            Changes.Add(change);
            var rows = Rows(change.Table);
            if (change.Kind == SidecarChangeKind.Delete)
            {
                if (change.Key.Length == 0)
                {
                    rows.Clear();
                }
                else
                {
                    rows.Remove(KeyText(change.Key));
                }

                continue;
            }

            var values = (object?[])change.Values!.Clone();
            if (rows.TryGetValue(KeyText(change.Key), out var old))
            {
                for (var i = 0; i < values.Length; i++)
                {
                    if (ReferenceEquals(values[i], SidecarUnchangedValue.Instance) && i < old.Length)
                    {
                        values[i] = old[i];
                    }
                }
            }

            rows[KeyText(change.Key)] = values;
        }

        Position = batch.Position;
        if (acknowledge)
        {
            await source.AcknowledgeAsync(batch.Position, CancellationToken.None);
        }

        return batch;
    }

    public static string KeyText(object?[] key) => string.Join("|", key.Select(k => k is byte[] b ? Convert.ToHexString(b) : Convert.ToString(k, System.Globalization.CultureInfo.InvariantCulture)));
}
