using Npgsql;

namespace Rhei.Data.Sidecar.PostgreSql;

/// <summary>
/// Streams a table into the sink by binary COPY (<c>COPY (SELECT …) TO STDOUT (FORMAT BINARY)</c>), so memory stays
/// bounded whatever the table's size. A value that cannot map quarantines the table; the rest of its rows are read and
/// dropped, so the transaction (and its snapshot) stays usable for the next table. Where the sink takes data chunks
/// and every column has a chunk decoder (<see cref="PostgreSqlCopyChunk.Covers"/>), the COPY's bytes are decoded
/// straight into chunks, a large table in ctid ranges on several connections of the copy's snapshot
/// (<see cref="PostgreSqlParallelCopy"/>); otherwise row by row, with Npgsql's typed readers, into one reused value
/// buffer on the first connection.
/// </summary>
internal static class PostgreSqlCopy
{
    private const int ProgressEvery = 10_000;

    public static async Task<long> CopyTableAsync(
        PostgreSqlCopySnapshot snapshot, PostgreSqlTableInfo info, ISidecarRowSink sink, PostgreSqlQuarantine quarantine, Func<object?[], bool>? skip, IProgress<long>? progress, long copied, CancellationToken cancellationToken)
    {
        if (quarantine.Contains(info.Table.Name))
        {
            return copied;
        }

        if (skip is null && sink is ISidecarBulkSink bulk && PostgreSqlCopyChunk.Covers(info.Types) && bulk.ChunkAppender(info.Table) is { } appender)
        {
            return await PostgreSqlParallelCopy.CopyAsync(snapshot, info, bulk, appender, quarantine, progress, copied, cancellationToken).ConfigureAwait(false);
        }

        var sql = $"COPY (SELECT {info.SelectList} FROM {info.QuotedName}) TO STDOUT (FORMAT BINARY)";
        var values = new object?[info.Types.Length];
        await using var exporter = await snapshot.First.BeginBinaryExportAsync(sql, cancellationToken).ConfigureAwait(false);
        while (await exporter.StartRowAsync(cancellationToken).ConfigureAwait(false) >= 0)
        {
            if (!await ReadRowAsync(exporter, info, quarantine, values, cancellationToken).ConfigureAwait(false) || skip?.Invoke(values) == true)
            {
                continue;
            }

            sink.Append(info.Table, values);
            if (++copied % ProgressEvery == 0)
            {
                progress?.Report(copied);
            }
        }

        return copied;
    }

    /// <summary>
    /// Reads a row's mapped columns into <paramref name="values"/>; false (the table quarantined, the rest of those
    /// columns skipped) when a value cannot map. Columns the query selects after them are left to the caller.
    /// </summary>
    public static async Task<bool> ReadRowAsync(NpgsqlBinaryExporter exporter, PostgreSqlTableInfo info, PostgreSqlQuarantine quarantine, object?[] values, CancellationToken cancellationToken)
    {
        var name = info.Table.Name;
        var failed = quarantine.Contains(name);
        for (var i = 0; i < values.Length; i++)
        {
            if (failed)
            {
                await exporter.SkipAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            try
            {
                values[i] = await PostgreSqlValueReader.ReadCopiedAsync(exporter, info.Types[i], cancellationToken).ConfigureAwait(false);
            }
            catch (PostgreSqlUnmappableValueException ex)
            {
                quarantine.Add(name, $"column {info.Table.Columns[i].Name}: {ex.Message}");
                failed = true;
            }
        }

        return !failed;
    }
}
