using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Rhei.Data.Oltp;
using Rhei.Data.Schema;
using Rhei.Data.Sync;

namespace Rhei.Data.Olap;

/// <summary>
/// Full load of a table (initial sync), pipelined on two threads: a worker reads SQLite rows into
/// <see cref="MirrorLoadBatch"/>es while the calling thread appends full batches to DuckDB, so reading and
/// appending overlap instead of adding up. A bounded channel and recycled batches keep memory to a few batches
/// whatever the table's size. Runs inside the caller's DuckDB transaction and SQLite read transaction.
/// </summary>
internal static class MirrorLoader
{
    private const int ProgressEvery = 65_536;

    // Batches waiting for the appender; with the one being filled and the one being appended, at most
    // QueuedBatches + 2 exist, since a new one is made only when none is free.
    private const int QueuedBatches = 3;

    /// <summary>
    /// Rows handed to DuckDB's appender between two explicit flushes (8 chunks). The appender copies each chunk into a
    /// buffer of its own and moves that buffer into the table only every 204,800 rows, which holds the appending
    /// thread for tens of ms at a time: the readers run out of free batches and wait meanwhile, and the last
    /// buffer is moved after every row has been read, alone on the critical path. Flushing every few chunks costs a
    /// little more CPU on the appending thread but keeps both sides moving (docs/benchmarks.md, "Initial sync, round
    /// five"). The rows stay inside the load's transaction either way.
    /// </summary>
    internal const int FlushRows = 8 * MirrorLoadBatch.Capacity;

    /// <summary>Replaces the mirror's content (destructive) or opens new versions (temporal) with the rows read.</summary>
    /// <exception cref="MirrorMisfitException">A value does not fit its mirror column.</exception>
    public static long Load(
        DuckDbSession session,
        SqliteConnection connection,
        SqliteTransaction transaction,
        TableSchema schema,
        RheiSyncMode mode,
        Action<long>? progress,
        CancellationToken cancellationToken)
        => Load(session, connection, transaction, schema, mode, MirrorParallelLoader.ReaderCount, progress, cancellationToken);

    /// <summary>
    /// The same with the number of snapshot readers a large table gets; 0 reads every table on the caller's
    /// connection alone (the benchmark's baseline, the load before parallel readers).
    /// </summary>
    /// <exception cref="MirrorMisfitException">A value does not fit its mirror column.</exception>
    internal static long Load(
        DuckDbSession session,
        SqliteConnection connection,
        SqliteTransaction transaction,
        TableSchema schema,
        RheiSyncMode mode,
        int readers,
        Action<long>? progress,
        CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (mode == RheiSyncMode.Temporal)
        {
            session.ExecuteNonQuery($"UPDATE {schema.QuotedName} SET {MirrorDdl.ValidTo} = greatest($1, {MirrorDdl.ValidFrom}) WHERE {MirrorDdl.ValidTo} IS NULL", [now]);
        }
        else
        {
            // An empty table of the same columns instead of DELETE FROM: DuckDB keeps deleted rows in the table's
            // storage beside the new ones until a checkpoint, and a full reload then pays for both (the memory of
            // two copies, and appends into row groups that are all deletions). The old table stays visible to
            // other sessions until this transaction commits, and comes back if it rolls back.
            session.Execute($"CREATE OR REPLACE TABLE {schema.QuotedName} AS FROM {schema.QuotedName} LIMIT 0");
        }

        long? validFrom = mode == RheiSyncMode.Temporal ? now : null;

        // A large table of a WAL file is read on several connections of this transaction's snapshot at once.
        if (readers > 0
            && RowidBlocks.TryPlan(connection, transaction, schema) is { } blocks
            && SqliteSnapshotReaders.TryOpen(connection, readers) is { } snapshotReaders)
        {
            using (snapshotReaders)
            {
                return MirrorParallelLoader.Load(session, snapshotReaders, blocks, schema, validFrom, progress, cancellationToken);
            }
        }

        // The transaction is the connection's: the raw statement reads inside its snapshot all the same, on the
        // worker too, since this thread does not touch SQLite until the worker has finished.
        var types = schema.MirrorTypes.ToArray();
        var full = Channel.CreateBounded<MirrorLoadBatch>(new BoundedChannelOptions(QueuedBatches) { SingleReader = true, SingleWriter = true });
        var free = new ConcurrentQueue<MirrorLoadBatch>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sql = $"SELECT {string.Join(", ", schema.QuotedColumns)} FROM {schema.QuotedName}";
        var reading = Task.Factory.StartNew(
            () => Read(connection, sql, schema, types, validFrom, full.Writer, free, stop.Token),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        long rows = 0;
        try
        {
            using var appender = session.CreateAppender(schema.Name);
            var nextProgress = ProgressEvery;
            var unflushed = 0;
            while (Next(full.Reader, stop.Token) is { } batch)
            {
                rows += batch.Count;
                unflushed += batch.Count;
                try
                {
                    batch.AppendTo(appender);
                }
                finally
                {
                    free.Enqueue(batch);
                }

                if (unflushed >= FlushRows)
                {
                    appender.Flush();
                    unflushed = 0;
                }

                if (rows >= nextProgress)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress?.Invoke(rows);
                    nextProgress += ProgressEvery;
                }
            }

            // Completed without error: the worker has finished, so this only joins it.
            reading.GetAwaiter().GetResult();
            appender.Close();
        }
        catch
        {
            // The worker must be off the SQLite connection before the caller rolls back or reuses it.
            stop.Cancel();
            Join(reading);
            throw;
        }
        finally
        {
            while (free.TryDequeue(out var batch))
            {
                batch.Dispose();
            }

            while (full.Reader.TryRead(out var batch))
            {
                batch.Dispose();
            }
        }

        progress?.Invoke(rows);
        return rows;
    }

    /// <summary>The worker: reads every row into batches and queues them; completes the channel with any failure.</summary>
    private static void Read(
        SqliteConnection connection,
        string sql,
        TableSchema schema,
        MirrorType[] types,
        long? validFrom,
        ChannelWriter<MirrorLoadBatch> full,
        ConcurrentQueue<MirrorLoadBatch> free,
        CancellationToken cancellationToken)
    {
        MirrorLoadBatch? batch = null;
        try
        {
            using var reader = new SqliteRowReader(connection, sql);
            batch = Take(free, types, validFrom);
            while (reader.Read())
            {
                Add(reader, batch, schema);
                if (batch.IsFull)
                {
                    Queue(full, batch, cancellationToken);
                    batch = Take(free, types, validFrom);
                }
            }

            if (batch.Count > 0)
            {
                Queue(full, batch, cancellationToken);
                batch = null;
            }

            full.Complete();
        }
        catch (Exception e)
        {
            full.Complete(e);
            throw;
        }
        finally
        {
            if (batch is not null)
            {
                free.Enqueue(batch);
            }
        }
    }

    /// <summary>Adds the reader's current row to the batch.</summary>
    /// <exception cref="MirrorMisfitException">A key is NULL, or a value does not fit its mirror column.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Add(SqliteRowReader reader, MirrorLoadBatch batch, TableSchema schema)
    {
        var keys = schema.KeyOrdinals;
        for (var k = 0; k < keys.Count; k++)
        {
            if (reader.IsNull(keys[k]))
            {
                throw new MirrorMisfitException(schema.Name, MirrorTypeFit.NullKey(schema, k), RowKeyComparer.Format(keys.Select(reader.GetValue).ToArray()));
            }
        }

        if (!batch.TryAdd(reader, out var column))
        {
            throw Misfit(reader, schema, column);
        }
    }

    private static MirrorLoadBatch Take(ConcurrentQueue<MirrorLoadBatch> free, MirrorType[] types, long? validFrom)
        => free.TryDequeue(out var batch) ? batch : new MirrorLoadBatch(types, validFrom);

    private static void Queue(ChannelWriter<MirrorLoadBatch> full, MirrorLoadBatch batch, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!full.TryWrite(batch))
        {
            // Blocking is the point: the worker has its own thread, and waiting here is what bounds memory.
            full.WriteAsync(batch, cancellationToken).AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>The next full batch, waiting for the worker; null once it has read everything.</summary>
    private static MirrorLoadBatch? Next(ChannelReader<MirrorLoadBatch> full, CancellationToken cancellationToken)
    {
        MirrorLoadBatch? batch;
        while (!full.TryRead(out batch))
        {
            // False once the worker completed the channel; a failed worker's exception is rethrown from here.
            if (!full.WaitToReadAsync(cancellationToken).AsTask().GetAwaiter().GetResult())
            {
                return null;
            }
        }

        return batch;
    }

    private static void Join(Task reading)
    {
        try
        {
            reading.Wait();
        }
        catch (AggregateException)
        {
            // Already failing: the worker's own error (or its cancellation) is secondary to the one being thrown.
        }
    }

    private static MirrorMisfitException Misfit(SqliteRowReader reader, TableSchema schema, int column)
    {
        var key = schema.KeyOrdinals.Select(reader.GetValue).ToArray();
        return new MirrorMisfitException(schema.Name, MirrorTypeFit.Misfit(schema, column, reader.GetValue(column)), RowKeyComparer.Format(key));
    }
}
