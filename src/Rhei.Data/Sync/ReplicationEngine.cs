// Placeholder until the replication branch lands; replaced by the real engine on merge.
namespace Rhei.Data.Sync
{
#pragma warning disable CS1998
    using Rhei.Data.Olap;
    internal sealed class ReplicationEngine : IAsyncDisposable
    {
        public ReplicationEngine(RheiOptions options, DuckDbDatabase duckDb, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory) { }
        public Task StartAsync(CancellationToken ct) => Task.CompletedTask;
        public bool IsReplicated(string table) => true;
        public bool IsQuarantined(string table) => false;
        public bool IsTemporal(string table) => false;
        public Task<RheiSyncResult> SyncAsync(CancellationToken ct) => throw new InvalidOperationException();
        public Task EnsureFreshAsync(CancellationToken ct) => Task.CompletedTask;
        public Task EnsureFreshWithinAsync(TimeSpan t, CancellationToken ct) => Task.CompletedTask;
        public Task<RheiSyncStatus> GetStatusAsync(CancellationToken ct) => throw new InvalidOperationException();
        public Task RegisterTableAsync(string table, CancellationToken ct) => Task.CompletedTask;
        public Task RegisterTableAsync(RheiTableSchema schema, CancellationToken ct) => Task.CompletedTask;
        public Task UnregisterTableAsync(string table, CancellationToken ct) => Task.CompletedTask;
        public Task<long> InitialSyncAsync(string table, IProgress<long>? progress, CancellationToken ct) => Task.FromResult(0L);
        public Task<long> InitialSyncAllAsync(IProgress<long>? progress, CancellationToken ct) => Task.FromResult(0L);
        public Task AddColumnAsync(string table, string column, string declaredType, CancellationToken ct) => Task.CompletedTask;
        public Task DropColumnAsync(string table, string column, CancellationToken ct) => Task.CompletedTask;
        public void StartSync(TimeSpan interval) { }
        public Task StopSyncAsync() => Task.CompletedTask;
        public Task<IAsyncDisposable> BeginSchemaChangeAsync(string? table, CancellationToken ct) => Task.FromResult<IAsyncDisposable>(new Noop()); sealed class Noop : IAsyncDisposable { public ValueTask DisposeAsync() => ValueTask.CompletedTask; }
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
