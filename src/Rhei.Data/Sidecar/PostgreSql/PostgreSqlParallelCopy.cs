using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Npgsql;
using Rhei.Data.Olap;

namespace Rhei.Data.Sidecar.PostgreSql;

/// <summary>
/// Copies one table into its mirror as DuckDB data chunks decoded from binary COPY bytes
/// (<see cref="PostgreSqlCopyStreamReader"/>, <see cref="PostgreSqlCopyChunk"/>). A large table (at least
/// <see cref="MinParallelPages"/> pages, on PostgreSQL 14 or later) is split into ctid ranges
/// (<c>WHERE ctid &gt;= '(a,0)' AND ctid &lt; '(b,0)'</c>, a TID range scan; the last range has no upper bound, so a
/// row on a page added since the size was read is copied too), COPYed on the connections of one snapshot
/// (<see cref="PostgreSqlCopySnapshot"/>): each takes the next range and fills chunks of its own, while the calling
/// flow appends them range by range in ctid order (DuckDB's appender is one per connection, the copy one DuckDB
/// transaction). Every connection sees the same snapshot, so the ranges together are exactly its rows, each once.
/// A connection that runs ahead waits for free chunks of its own, so memory stays a few chunks per connection, and the
/// connection of the range being appended never waits for another's chunks. A value that cannot map stops the
/// appending and quarantines the table; every connection still reads its COPY to the end, so its transaction (and the
/// snapshot) stays usable for the next table.
/// </summary>
internal static class PostgreSqlParallelCopy
{
    /// <summary>Tables smaller than this (8 KB pages: 4 MB) are copied on the first connection alone.</summary>
    public const long MinParallelPages = 512;

    private const int ProgressEvery = 10_000;

    // Ranges per connection: a connection that finishes early takes another, so an uneven table still keeps all busy.
    private const int RangesPerConnection = 4;

    // Chunks a connection may have filled and not yet appended (2,048 rows each).
    private const int ChunksPerConnection = 8;

    public static async Task<long> CopyAsync(
        PostgreSqlCopySnapshot snapshot, PostgreSqlTableInfo info, ISidecarBulkSink sink, DuckDbAppender appender, PostgreSqlQuarantine quarantine, IProgress<long>? progress, long copied, CancellationToken cancellationToken)
    {
        var ranges = await PlanAsync(snapshot, info, cancellationToken).ConfigureAwait(false);
        var connections = ranges.Length == 1 ? [snapshot.First] : await snapshot.ConnectionsAsync(Math.Min(PostgreSqlCopySnapshot.MaxConnections, ranges.Length), cancellationToken).ConfigureAwait(false);
        var queues = new Channel<FilledChunk>?[ranges.Length];
        var next = new StrongBox<int>(-1);
        var failure = new Failure();
        var pools = new ChunkPool[connections.Count];
        var copying = new Task[connections.Count];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        for (var c = 0; c < connections.Count; c++)
        {
            var pool = pools[c] = new ChunkPool(info.Types);
            var connection = connections[c];
            copying[c] = Task.Run(() => CopyRangesAsync(connection, info, ranges, queues, next, pool, failure, stop.Token), CancellationToken.None);
        }

        var appendFailed = false;
        var nextProgress = copied + ProgressEvery;
        try
        {
            for (var range = 0; range < ranges.Length; range++)
            {
                var queue = Queue(queues, range).Reader;
                while (await queue.WaitToReadAsync(stop.Token).ConfigureAwait(false))
                {
                    while (queue.TryRead(out var filled))
                    {
                        try
                        {
                            if (!appendFailed && failure.Reason is null)
                            {
                                var rows = filled.Chunk.Count;
                                appendFailed = !Flush(filled.Chunk, appender, sink, info);
                                if (appendFailed)
                                {
                                    // Nothing more of this table is appended: the connections only finish their COPYs.
                                    failure.Set(null);
                                }
                                else
                                {
                                    copied += rows;
                                }
                            }
                        }
                        finally
                        {
                            filled.Pool.Return(filled.Chunk);
                        }

                        if (copied >= nextProgress)
                        {
                            progress?.Report(copied);
                            nextProgress = copied + ProgressEvery;
                        }
                    }
                }
            }

            // Every range was appended, so every connection has finished its COPYs: this only joins them.
            await Task.WhenAll(copying).ConfigureAwait(false);
        }
        catch
        {
            // The connections must be off their COPYs before the caller ends their transactions.
            await stop.CancelAsync().ConfigureAwait(false);
            await JoinAsync(copying).ConfigureAwait(false);
            throw;
        }
        finally
        {
            foreach (var pool in pools)
            {
                pool?.Dispose();
            }
        }

        if (failure.Reason is { } reason)
        {
            quarantine.Add(info.Table.Name, reason);
        }

        return copied;
    }

    /// <summary>The ctid ranges (first page, end page; -1 for no bound): one for a small table, or without range scans.</summary>
    private static async Task<(long From, long To)[]> PlanAsync(PostgreSqlCopySnapshot snapshot, PostgreSqlTableInfo info, CancellationToken cancellationToken)
    {
        if (!snapshot.RangeScans)
        {
            return [(-1, -1)];
        }

        var pages = await snapshot.PagesAsync(info, cancellationToken).ConfigureAwait(false);
        if (pages < MinParallelPages)
        {
            return [(-1, -1)];
        }

        var count = (int)Math.Min(PostgreSqlCopySnapshot.MaxConnections * RangesPerConnection, pages / (MinParallelPages / RangesPerConnection));
        var ranges = new (long From, long To)[count];
        for (var r = 0; r < count; r++)
        {
            ranges[r] = (r == 0 ? -1 : pages * r / count, r == count - 1 ? -1 : pages * (r + 1) / count);
        }

        return ranges;
    }

    private static string Sql(PostgreSqlTableInfo info, (long From, long To) range)
    {
        var where = (range.From, range.To) switch
        {
            (< 0, < 0) => string.Empty,
            (< 0, var to) => $" WHERE ctid < '({to},0)'::tid",
            (var from, < 0) => $" WHERE ctid >= '({from},0)'::tid",
            var (from, to) => $" WHERE ctid >= '({from},0)'::tid AND ctid < '({to},0)'::tid",
        };
        return $"COPY (SELECT {info.SelectList} FROM {info.QuotedName}{where}) TO STDOUT (FORMAT BINARY)";
    }

    /// <summary>One connection: takes ranges until none is left; on failure completes every range not yet taken with it.</summary>
    private static async Task CopyRangesAsync(
        NpgsqlConnection connection, PostgreSqlTableInfo info, (long From, long To)[] ranges, Channel<FilledChunk>?[] queues, StrongBox<int> next, ChunkPool pool, Failure failure, CancellationToken cancellationToken)
    {
        var range = -1;
        try
        {
            while ((range = Interlocked.Increment(ref next.Value)) < ranges.Length)
            {
                var queue = Queue(queues, range).Writer;
                await using (var reader = await PostgreSqlCopyStreamReader.StartAsync(connection, Sql(info, ranges[range]), info.Types.Length, cancellationToken).ConfigureAwait(false))
                {
                    await CopyRangeAsync(reader, info, pool, queue, failure, cancellationToken).ConfigureAwait(false);
                }

                queue.Complete();
            }
        }
        catch (Exception e)
        {
            // The appending flow waits for ranges in order: none may stay open once its connection is gone.
            if (range >= 0 && range < ranges.Length)
            {
                Queue(queues, range).Writer.TryComplete(e);
            }

            while ((range = Interlocked.Increment(ref next.Value)) < ranges.Length)
            {
                Queue(queues, range).Writer.TryComplete(e);
            }

            throw;
        }
    }

    private static async Task CopyRangeAsync(PostgreSqlCopyStreamReader reader, PostgreSqlTableInfo info, ChunkPool pool, ChannelWriter<FilledChunk> queue, Failure failure, CancellationToken cancellationToken)
    {
        PostgreSqlCopyChunk? chunk = await pool.TakeAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                if (failure.Reason is not null || failure.Stopped)
                {
                    await reader.DrainAsync(cancellationToken).ConfigureAwait(false);
                    break;
                }

                if (Decode(reader, chunk, info, failure))
                {
                    // Unbounded: what bounds a connection is its pool.
                    queue.TryWrite(new FilledChunk(chunk, pool));
                    chunk = null;
                    chunk = await pool.TakeAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (reader.Finished)
                {
                    // The trailer was read: the rest of the stream is the end of the COPY.
                    await reader.DrainAsync(cancellationToken).ConfigureAwait(false);
                    break;
                }

                if (!await reader.FillAsync(cancellationToken).ConfigureAwait(false) && !reader.Finished && failure.Reason is null)
                {
                    throw new NpgsqlException($"the COPY of table {info.Table.Name} ended before its trailer");
                }
            }

            if (chunk.Count > 0 && failure.Reason is null)
            {
                queue.TryWrite(new FilledChunk(chunk, pool));
                chunk = null;
            }
        }
        finally
        {
            if (chunk is not null)
            {
                pool.Return(chunk);
            }
        }
    }

    /// <summary>Decodes whole tuples from the buffer into the chunk; true when the chunk is full (hand it over).</summary>
    private static bool Decode(PostgreSqlCopyStreamReader reader, PostgreSqlCopyChunk chunk, PostgreSqlTableInfo info, Failure failure)
    {
        while (!chunk.IsFull)
        {
            if (!reader.TryReadTuple(out var fields))
            {
                return false;
            }

            try
            {
                chunk.AddRow(fields);
            }
            catch (PostgreSqlUnmappableValueException ex)
            {
                failure.Set($"column {info.Table.Columns[chunk.FailedColumn].Name}: {ex.Message}");
                return false;
            }
        }

        return true;
    }

    /// <summary>Appends a chunk; false (the table quarantined by the sink) when DuckDB refuses it.</summary>
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

    private static Channel<FilledChunk> Queue(Channel<FilledChunk>?[] queues, int range)
        => LazyInitializer.EnsureInitialized(
            ref queues[range],
            static () => Channel.CreateUnbounded<FilledChunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true }));

    private static async Task JoinAsync(Task[] copying)
    {
        try
        {
            await Task.WhenAll(copying).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Already failing: a connection's own error (or its cancellation) is secondary to the one being thrown.
        }
    }

    private readonly record struct FilledChunk(PostgreSqlCopyChunk Chunk, ChunkPool Pool);

    /// <summary>Why the table stopped (the first value that could not map), or that DuckDB refused a chunk.</summary>
    private sealed class Failure
    {
        private string? _reason;
        private volatile bool _stopped;

        public string? Reason => Volatile.Read(ref _reason);

        public bool Stopped => _stopped;

        /// <summary>Records the first reason (null: DuckDB refused a chunk, the sink quarantined the table itself).</summary>
        public void Set(string? reason)
        {
            if (reason is not null)
            {
                Interlocked.CompareExchange(ref _reason, reason, null);
            }

            _stopped = true;
        }
    }

    /// <summary>One connection's chunks: at most <see cref="ChunksPerConnection"/>, taken by it, returned by the appending flow.</summary>
    private sealed class ChunkPool(PostgreSqlColumnType[] types) : IDisposable
    {
        private readonly SemaphoreSlim _available = new(ChunksPerConnection, ChunksPerConnection);
        // Last in, first out: the chunk just appended is the one still in the cache.
        private readonly System.Collections.Concurrent.ConcurrentStack<PostgreSqlCopyChunk> _free = new();
        private readonly System.Collections.Concurrent.ConcurrentBag<PostgreSqlCopyChunk> _made = [];

        public async ValueTask<PostgreSqlCopyChunk> TakeAsync(CancellationToken cancellationToken)
        {
            await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (_free.TryPop(out var chunk))
            {
                return chunk;
            }

            chunk = new PostgreSqlCopyChunk(types);
            _made.Add(chunk);
            return chunk;
        }

        /// <summary>Gives back a chunk (appended, or not: it is emptied here).</summary>
        public void Return(PostgreSqlCopyChunk chunk)
        {
            if (chunk.Count > 0)
            {
                chunk.Reset();
            }

            _free.Push(chunk);
            _available.Release();
        }

        /// <summary>After every connection has been joined: frees the chunks, including any still queued.</summary>
        public void Dispose()
        {
            foreach (var chunk in _made)
            {
                chunk.Dispose();
            }

            _available.Dispose();
        }
    }
}
