using Rhei.Data.Arrow;
using Rhei.Data.Sync;

namespace Rhei.Data;

// The replication controls, for code. Tools that only speak SQL have the same through PRAGMA rhei_*.
public sealed partial class RheiConnection
{
    /// <summary>Runs sync cycles until the mirror holds every change committed so far.</summary>
    /// <returns>The counts of the work done (rhei's <c>SyncResult</c>).</returns>
    public Task<RheiSyncResult> SyncAsync(CancellationToken cancellationToken = default)
        => Replication(nameof(SyncAsync)) is var local && Engine.Sidecar is { } sidecar
            ? Sidecar.SidecarSync.SyncAsync(local, sidecar, cancellationToken)
            : local.SyncAsync(cancellationToken);

    /// <summary>The replication state: lag, last synced change, whether the loop runs, and each table.</summary>
    public Task<RheiSyncStatus> GetSyncStatusAsync(CancellationToken cancellationToken = default)
        => Replication(nameof(GetSyncStatusAsync)) is var local && Engine.Sidecar is { } sidecar
            ? Sidecar.SidecarSync.GetStatusAsync(local, sidecar, cancellationToken)
            : local.GetStatusAsync(cancellationToken);

    /// <summary>
    /// Replicates a table: installs change capture, creates its mirror and copies its rows. Registering a
    /// table again is harmless.
    /// </summary>
    public Task RegisterTableAsync(string table, CancellationToken cancellationToken = default)
        => Replication(nameof(RegisterTableAsync)).RegisterTableAsync(table, cancellationToken);

    /// <summary>
    /// Replicates a table with an explicit schema (as rhei's <c>register_table</c>). The same schema again
    /// succeeds; a different one fails with an error saying so.
    /// </summary>
    public Task RegisterTableAsync(RheiTableSchema schema, CancellationToken cancellationToken = default)
        => Replication(nameof(RegisterTableAsync)).RegisterTableAsync(schema, cancellationToken);

    /// <summary>
    /// Replicates a table described by an Apache Arrow schema, as rhei's
    /// <c>TableSchema { name, arrow_schema, primary_key }</c>: integers become INTEGER (BIGINT in the mirror),
    /// Boolean BOOLEAN, floating point REAL (DOUBLE), strings TEXT (VARCHAR), binaries BLOB, and dates, times,
    /// timestamps and decimals TEXT. Registering the same shape again succeeds (a table already replicated with the
    /// same columns, mirror types and key); a different one fails with an error saying so.
    /// </summary>
    public Task RegisterTableAsync(string table, Apache.Arrow.Schema schema, IReadOnlyList<string> primaryKey, CancellationToken cancellationToken = default)
    {
        var replication = Replication(nameof(RegisterTableAsync));
        var requested = ArrowTableSchema.ToRheiTableSchema(table, schema, primaryKey);
        if (replication.Registry.Find(table) is { } existing)
        {
            return ArrowTableSchema.SameShape(existing, requested)
                ? Task.CompletedTask
                : Task.FromException(new InvalidOperationException(
                    $"Table '{table}' is already registered with a different schema ({existing.Definition}); use AddColumn/DropColumn for schema evolution."));
        }

        return replication.RegisterTableAsync(requested, cancellationToken);
    }

    /// <summary>Stops replicating a table: removes its change capture and its mirror.</summary>
    public Task UnregisterTableAsync(string table, CancellationToken cancellationToken = default)
        => Replication(nameof(UnregisterTableAsync)).UnregisterTableAsync(table, cancellationToken);

    /// <summary>
    /// Copies a table's rows to its mirror afresh; lifts a quarantine once the bad values are repaired. A table followed
    /// in sidecar mode is copied with every other followed table, from one snapshot of the source.
    /// </summary>
    /// <returns>The number of rows copied.</returns>
    public Task<long> InitialSyncAsync(string table, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
        => Replication(nameof(InitialSyncAsync)) is var local && Engine.Sidecar is { } sidecar
            ? Sidecar.SidecarSync.InitialSyncAsync(local, sidecar, table, progress, cancellationToken)
            : local.InitialSyncAsync(table, progress, cancellationToken);

    /// <summary>Copies every replicated table afresh (and, in sidecar mode, every followed table, from one snapshot of the source).</summary>
    /// <returns>The number of rows copied.</returns>
    public Task<long> InitialSyncAllAsync(IProgress<long>? progress = null, CancellationToken cancellationToken = default)
        => Replication(nameof(InitialSyncAllAsync)) is var local && Engine.Sidecar is { } sidecar
            ? Sidecar.SidecarSync.InitialSyncAllAsync(local, sidecar, progress, cancellationToken)
            : local.InitialSyncAllAsync(progress, cancellationToken);

    /// <summary>
    /// For a PostgreSQL sidecar with <c>Sidecar Capture=LogicalReplication</c>: drops the replication slot and the
    /// publication Rhei created on the server (<c>Sidecar Replication Name</c>), so the server keeps no more WAL for this
    /// mirror. Rhei never drops them otherwise. The data source stops following the server (its syncs and Strong reads
    /// fail saying so); created again, it copies the mirror afresh with a new slot.
    /// </summary>
    public Task DropSidecarSlotAsync(CancellationToken cancellationToken = default)
    {
        RequireOpen(nameof(DropSidecarSlotAsync));
        return Engine.Sidecar is { } sidecar
            ? sidecar.DropSlotAsync(cancellationToken)
            : Task.FromException(new InvalidOperationException("DropSidecarSlotAsync needs Sidecar=PostgreSql with Sidecar Capture=LogicalReplication; this connection follows no external database."));
    }

    /// <summary>Adds a column to a replicated table, its mirror and its change capture.</summary>
    public Task AddColumnAsync(string table, string column, string declaredType, CancellationToken cancellationToken = default)
        => Replication(nameof(AddColumnAsync)).AddColumnAsync(table, column, declaredType, cancellationToken);

    /// <summary>Drops a column from a replicated table and its mirror; a primary-key column is refused.</summary>
    public Task DropColumnAsync(string table, string column, CancellationToken cancellationToken = default)
        => Replication(nameof(DropColumnAsync)).DropColumnAsync(table, column, cancellationToken);

    /// <summary>Starts (or restarts) the background sync loop with a period.</summary>
    public void StartSync(TimeSpan interval) => Replication(nameof(StartSync)).StartSync(interval);

    /// <summary>Stops the background sync loop; reads with strong freshness still sync on demand.</summary>
    public Task StopSyncAsync() => Replication(nameof(StopSyncAsync)).StopSyncAsync();

    private LocalReplicator Replication(string operation)
    {
        RequireOpen(operation);
        return Engine.Replication ?? throw new InvalidOperationException(
            $"{operation} needs the DuckDB mirror, but this connection was opened with Olap=None.");
    }
}
