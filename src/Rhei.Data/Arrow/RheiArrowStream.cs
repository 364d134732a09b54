using Apache.Arrow;
using ArrowSchema = Apache.Arrow.Schema;
using Apache.Arrow.Ipc;

namespace Rhei.Data.Arrow;

/// <summary>
/// The record-batch stream <see cref="RheiCommand.ExecuteArrowReader"/> returns, with the engine that answered.
/// Batches handed out stay valid after the stream is disposed; each is released by its own Dispose.
/// </summary>
internal abstract class RheiArrowStream : IArrowArrayStream
{
    private bool _disposed;

    protected RheiArrowStream(RheiRoute route) => Route = route;

    /// <summary>The engine that answered: <see cref="RheiRoute.Oltp"/> (SQLite) or <see cref="RheiRoute.Olap"/> (DuckDB).</summary>
    public RheiRoute Route { get; }

    public abstract ArrowSchema Schema { get; }

    protected bool IsDisposed => _disposed;

    public ValueTask<RecordBatch?> ReadNextRecordBatchAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new ValueTask<RecordBatch?>(ReadNext(cancellationToken));
    }

    /// <summary>The next batch, or null at the end. Runs synchronously: both engines' calls block.</summary>
    protected abstract RecordBatch? ReadNext(CancellationToken cancellationToken);

    /// <summary>Releases the engine's result (the DuckDB result, or the SQLite statement and its read lock).</summary>
    protected abstract void Release();

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Release();
        GC.SuppressFinalize(this);
    }
}
