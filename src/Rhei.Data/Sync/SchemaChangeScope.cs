namespace Rhei.Data.Sync;

/// <summary>Holds the DDL lock around a user's schema change; disposing reconciles and releases it.</summary>
internal sealed class SchemaChangeScope : IAsyncDisposable
{
    private readonly Func<Task> _complete;
    private int _disposed;

    public SchemaChangeScope(Func<Task> complete) => _complete = complete;

    public ValueTask DisposeAsync()
        => Interlocked.Exchange(ref _disposed, 1) == 0 ? new ValueTask(_complete()) : ValueTask.CompletedTask;
}
