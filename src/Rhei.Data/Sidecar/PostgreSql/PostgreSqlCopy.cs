using Npgsql;
using Rhei.Data.Olap;

namespace Rhei.Data.Sidecar.PostgreSql;

/// <summary>
/// Streams a table into the sink by binary COPY (<c>COPY (SELECT …) TO STDOUT (FORMAT BINARY)</c>), one reused value
/// buffer, so memory stays bounded whatever the table's size. A value that cannot map quarantines the table; the rest
/// of its rows are read and dropped, so the transaction (and its snapshot) stays usable for the next table. Where the
/// sink takes data chunks and every column has a chunk writer (<see cref="PostgreSqlCopyChunk"/>), values are read
/// typed straight into chunks; otherwise row by row into one reused value buffer.
/// </summary>
internal static class PostgreSqlCopy
{
    private const int ProgressEvery = 10_000;

    public static async Task<long> CopyTableAsync(
        NpgsqlConnection connection, PostgreSqlTableInfo info, ISidecarRowSink sink, PostgreSqlQuarantine quarantine, Func<object?[], bool>? skip, IProgress<long>? progress, long copied, CancellationToken cancellationToken)
    {
        if (quarantine.Contains(info.Table.Name))
        {
            return copied;
        }

        var sql = $"COPY (SELECT {info.SelectList} FROM {info.QuotedName}) TO STDOUT (FORMAT BINARY)";
        if (skip is null && sink is ISidecarBulkSink bulk && PostgreSqlCopyChunk.Covers(info.Types) && bulk.ChunkAppender(info.Table) is { } appender)
        {
            return await CopyChunksAsync(connection, sql, info, bulk, appender, quarantine, progress, copied, cancellationToken).ConfigureAwait(false);
        }

        var values = new object?[info.Types.Length];
        await using var exporter = await connection.BeginBinaryExportAsync(sql, cancellationToken).ConfigureAwait(false);
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

    private static async Task<long> CopyChunksAsync(
        NpgsqlConnection connection, string sql, PostgreSqlTableInfo info, ISidecarBulkSink sink, DuckDbAppender appender, PostgreSqlQuarantine quarantine, IProgress<long>? progress, long copied, CancellationToken cancellationToken)
    {
        var name = info.Table.Name;
        var failed = false;
        var nextProgress = copied + ProgressEvery;
        using var chunk = new PostgreSqlCopyChunk(info.Types);
        await using var exporter = await connection.BeginBinaryExportAsync(sql, cancellationToken).ConfigureAwait(false);
        while (await exporter.StartRowAsync(cancellationToken).ConfigureAwait(false) >= 0)
        {
            if (failed)
            {
                for (var i = 0; i < info.Types.Length; i++)
                {
                    await exporter.SkipAsync(cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            try
            {
                await chunk.ReadRowAsync(exporter, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgreSqlUnmappableValueException ex)
            {
                quarantine.Add(name, $"column {info.Table.Columns[chunk.FailedColumn].Name}: {ex.Message}");
                failed = true;
                continue;
            }

            if (chunk.IsFull)
            {
                failed = !Flush(chunk, appender, sink, info);
                copied += PostgreSqlCopyChunk.Capacity;
                if (copied >= nextProgress)
                {
                    progress?.Report(copied);
                    nextProgress += ProgressEvery;
                }
            }
        }

        if (!failed && chunk.Count > 0)
        {
            copied += chunk.Count;
            Flush(chunk, appender, sink, info);
        }

        return copied;
    }

    /// <summary>Appends a full chunk; false (the table quarantined by the sink) when DuckDB refuses it.</summary>
    private static bool Flush(PostgreSqlCopyChunk chunk, DuckDbAppender appender, ISidecarBulkSink sink, PostgreSqlTableInfo info)
    {
        var rows = chunk.Count;
        try
        {
            chunk.AppendTo(appender);
            sink.ChunksAppended(rows);
            return true;
        }
        catch (DuckDbException ex)
        {
            sink.ChunkFailed(info.Table, ex);
            return false;
        }
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
