using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Rhei.Data.Oltp;
using Rhei.Data.Schema;
using SQLitePCL;

namespace Rhei.Data.Olap;

/// <summary>
/// The initial load of a large table on several SQLite read connections of one snapshot
/// (<see cref="SqliteSnapshotReaders"/>): each reader takes the next rowid block (<see cref="RowidBlocks"/>) and fills
/// its own DuckDB data chunks (<see cref="MirrorLoadBatch"/>), while the calling thread appends the chunks block by
/// block in rowid order (DuckDB's appender is one per connection, and the load is one DuckDB transaction). A reader
/// that runs ahead waits for free batches of its own, so memory stays a few blocks whatever the table's size, and
/// the reader of the block being appended never waits for another reader's batches.
/// </summary>
internal static class MirrorParallelLoader
{
    private const int ProgressEvery = 65_536;

    // More than a dense block's 16 chunks: a reader a block ahead can read all of it while the appender finishes
    // the block before, and still has batches for the next.
    private const int BatchesPerReader = 20;

    /// <summary>How many connections read at once: one per processor, as reading is most of the load's work.</summary>
    public static int ReaderCount => Math.Clamp(Environment.ProcessorCount, 1, 8);

    /// <exception cref="MirrorMisfitException">A value does not fit its mirror column (the first in rowid order).</exception>
    public static long Load(
        DuckDbSession session,
        SqliteSnapshotReaders readers,
        RowidBlocks blocks,
        TableSchema schema,
        long? validFrom,
        Action<long>? progress,
        CancellationToken cancellationToken)
    {
        var types = schema.MirrorTypes.ToArray();
        var sql = $"SELECT {string.Join(", ", schema.QuotedColumns)} FROM {schema.QuotedName} WHERE {blocks.Rowid} BETWEEN ?1 AND ?2";
        var queues = new Channel<LoadedBatch>?[blocks.Count];
        var next = new StrongBox<int>(-1);
        var pools = new BatchPool[readers.Connections.Count];
        var reading = new Task[pools.Length];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        for (var r = 0; r < pools.Length; r++)
        {
            var pool = pools[r] = new BatchPool(types, validFrom);
            var connection = readers.Connections[r];
            reading[r] = Task.Factory.StartNew(
                () => Read(connection, sql, schema, blocks, queues, next, pool, stop.Token),
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        }

        long rows = 0;
        var unflushed = 0;
        try
        {
            using var appender = session.CreateAppender(schema.Name);
            var nextProgress = ProgressEvery;
            for (var block = 0; block < blocks.Count; block++)
            {
                var queue = Queue(queues, block).Reader;
                while (Next(queue, stop.Token) is { } loaded)
                {
                    var count = loaded.Batch.Count;
                    rows += count;
                    try
                    {
                        loaded.Batch.AppendTo(appender);
                    }
                    finally
                    {
                        loaded.Pool.Return(loaded.Batch);
                    }

                    // See MirrorLoader.FlushRows: DuckDB's own flush every 204,800 rows starves the readers.
                    unflushed += count;
                    if (unflushed >= MirrorLoader.FlushRows)
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
            }

            // Every block was appended, so every reader has finished: this only joins them.
            Task.WaitAll(reading, CancellationToken.None);
            appender.Close();
        }
        catch
        {
            // The readers must be off their connections before these close.
            stop.Cancel();
            Join(reading);
            throw;
        }
        finally
        {
            foreach (var pool in pools)
            {
                pool.Dispose();
            }
        }

        progress?.Invoke(rows);
        return rows;
    }

    /// <summary>A reader: takes blocks until none is left; on failure completes every block not yet taken with it.</summary>
    private static void Read(
        sqlite3 connection,
        string sql,
        TableSchema schema,
        RowidBlocks blocks,
        Channel<LoadedBatch>?[] queues,
        StrongBox<int> next,
        BatchPool pool,
        CancellationToken cancellationToken)
    {
        var block = -1;
        try
        {
            using var reader = new SqliteRowReader(connection, sql, mutexFree: true);
            while ((block = Interlocked.Increment(ref next.Value)) < blocks.Count)
            {
                var (first, last) = blocks[block];
                reader.Reset();
                reader.Bind(1, first);
                reader.Bind(2, last);
                ReadBlock(reader, schema, pool, Queue(queues, block).Writer, cancellationToken);
                Queue(queues, block).Writer.Complete();
            }
        }
        catch (Exception e)
        {
            // The appender waits for blocks in order: none may stay open once its reader is gone.
            if (block >= 0 && block < blocks.Count)
            {
                Queue(queues, block).Writer.TryComplete(e);
            }

            while ((block = Interlocked.Increment(ref next.Value)) < blocks.Count)
            {
                Queue(queues, block).Writer.TryComplete(e);
            }

            throw;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadBlock(SqliteRowReader reader, TableSchema schema, BatchPool pool, ChannelWriter<LoadedBatch> queue, CancellationToken cancellationToken)
    {
        var batch = pool.Take(cancellationToken);
        try
        {
            while (reader.Read())
            {
                MirrorLoader.Add(reader, batch, schema);
                if (batch.IsFull)
                {
                    // Unbounded: what bounds a reader is its pool.
                    queue.TryWrite(new LoadedBatch(batch, pool));
                    batch = null;
                    cancellationToken.ThrowIfCancellationRequested();
                    batch = pool.Take(cancellationToken);
                }
            }

            if (batch.Count > 0)
            {
                queue.TryWrite(new LoadedBatch(batch, pool));
                batch = null;
            }
        }
        finally
        {
            if (batch is not null)
            {
                // A row may be half written (a misfit): nothing of it may survive into the batch's next use.
                batch.Clear();
                pool.Return(batch);
            }
        }
    }

    private static Channel<LoadedBatch> Queue(Channel<LoadedBatch>?[] queues, int block)
        => LazyInitializer.EnsureInitialized(
            ref queues[block],
            static () => Channel.CreateUnbounded<LoadedBatch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true }));

    private static LoadedBatch? Next(ChannelReader<LoadedBatch> queue, CancellationToken cancellationToken)
    {
        LoadedBatch loaded;
        while (!queue.TryRead(out loaded))
        {
            // False once the block's reader completed it; a failed reader's exception is rethrown from here.
            if (!queue.WaitToReadAsync(cancellationToken).AsTask().GetAwaiter().GetResult())
            {
                return null;
            }
        }

        return loaded;
    }

    private static void Join(Task[] reading)
    {
        try
        {
            Task.WaitAll(reading, CancellationToken.None);
        }
        catch (AggregateException)
        {
            // Already failing: a reader's own error (or its cancellation) is secondary to the one being thrown.
        }
    }

    private readonly record struct LoadedBatch(MirrorLoadBatch Batch, BatchPool Pool);

    /// <summary>One reader's batches: at most <see cref="BatchesPerReader"/>, taken by the reader, returned by the appender.</summary>
    private sealed class BatchPool : IDisposable
    {
        private readonly MirrorType[] _types;
        private readonly long? _validFrom;
        private readonly SemaphoreSlim _available = new(BatchesPerReader, BatchesPerReader);
        // Last in, first out: the batch just appended is the one still in the cache; a queue would cycle through all.
        private readonly System.Collections.Concurrent.ConcurrentStack<MirrorLoadBatch> _free = new();
        private readonly System.Collections.Concurrent.ConcurrentBag<MirrorLoadBatch> _made = new();

        public BatchPool(MirrorType[] types, long? validFrom)
        {
            _types = types;
            _validFrom = validFrom;
        }

        public MirrorLoadBatch Take(CancellationToken cancellationToken)
        {
            _available.Wait(cancellationToken);
            if (_free.TryPop(out var batch))
            {
                return batch;
            }

            batch = new MirrorLoadBatch(_types, _validFrom);
            _made.Add(batch);
            return batch;
        }

        /// <summary>Gives back an empty batch (appended, or cleared by its reader).</summary>
        public void Return(MirrorLoadBatch batch)
        {
            _free.Push(batch);
            _available.Release();
        }

        /// <summary>After every reader has been joined: frees the chunks, including any still queued.</summary>
        public void Dispose()
        {
            foreach (var batch in _made)
            {
                batch.Dispose();
            }

            _available.Dispose();
        }
    }
}
