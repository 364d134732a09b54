using System.Data;
using System.Data.Common;
using Rhei.Data.Sql;

namespace Rhei.Data;

/// <summary>
/// Several commands run together. A batch that writes (any command with a write, DDL or transaction control) runs
/// in one SQLite transaction: all of its commands take effect or none does, and all of them run on SQLite. A batch
/// of reads opens no transaction: each command is routed as a <see cref="RheiCommand"/> would be, honouring
/// <see cref="RheiBatchCommand.Route"/> and hints in its text.
/// </summary>
/// <remarks>
/// When the connection already has a transaction, the batch runs inside it, on SQLite, as every command in a
/// transaction does. <see cref="RheiBatchCommand.Route"/> = <see cref="RheiRoute.Olap"/> on a command of a batch that
/// runs in a transaction cannot be honoured and is refused with <see cref="InvalidOperationException"/> before any
/// command runs. A batch of reads is not one snapshot: each read sees what a separate command would.
/// Parameters are bound with everything set on them (value, <c>DbType</c>, <c>Size</c>).
/// </remarks>
public sealed partial class RheiBatch : DbBatch
{
    private readonly RheiDataSource? _dataSource;

    /// <summary>Initializes a new, empty batch.</summary>
    public RheiBatch()
    {
        BatchCommands = new RheiBatchCommandCollection();
    }

    internal RheiBatch(RheiDataSource dataSource)
        : this()
    {
        _dataSource = dataSource;
    }

    /// <summary>The commands of the batch.</summary>
    public new RheiBatchCommandCollection BatchCommands { get; }

    /// <inheritdoc />
    protected override DbBatchCommandCollection DbBatchCommands => BatchCommands;

    /// <inheritdoc />
    public override int Timeout { get; set; } = 30;

    /// <summary>The connection the batch runs on.</summary>
    public new RheiConnection? Connection { get; set; }

    /// <inheritdoc />
    protected override DbConnection? DbConnection
    {
        get => Connection;
        set => Connection = (RheiConnection?)value;
    }

    /// <summary>The transaction the batch runs in.</summary>
    public new RheiTransaction? Transaction { get; set; }

    /// <inheritdoc />
    protected override DbTransaction? DbTransaction
    {
        get => Transaction;
        set => Transaction = (RheiTransaction?)value;
    }

    /// <inheritdoc />
    public override void Cancel()
    {
    }

    /// <inheritdoc />
    public override void Prepare()
    {
    }

    /// <inheritdoc />
    public override Task PrepareAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override int ExecuteNonQuery() => ExecuteNonQueryAsync().GetAwaiter().GetResult();

    /// <inheritdoc />
    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken = default)
        => RunAsync(async (command, ct) =>
        {
            var affected = await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return (affected, (DataTable?)null);
        }, cancellationToken, collect: static (total, item) => total + Math.Max(0, item.Affected));

    /// <inheritdoc />
    public override object? ExecuteScalar() => ExecuteScalarAsync().GetAwaiter().GetResult();

    /// <inheritdoc />
    public override async Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken = default)
    {
        using var reader = await ExecuteDbDataReaderAsync(CommandBehavior.Default, cancellationToken).ConfigureAwait(false);
        return reader.Read() ? reader.GetValue(0) : null;
    }

    /// <inheritdoc />
    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
        => ExecuteDbDataReaderAsync(behavior, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc />
    /// <remarks>
    /// The results of every command are read inside the batch's transaction and returned together, one
    /// result set per command that produced rows.
    /// </remarks>
    protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
    {
        var tables = new List<DataTable>();
        await RunAsync(async (command, ct) =>
        {
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var table = new DataTable();
            table.Load(reader);
            return (reader.RecordsAffected, table);
        }, cancellationToken, collect: (total, item) =>
        {
            if (item.Table is { Columns.Count: > 0 } table)
            {
                tables.Add(table);
            }

            return total;
        }).ConfigureAwait(false);
        return new DataTableReader([.. tables]);
    }

    /// <inheritdoc />
    protected override DbBatchCommand CreateDbBatchCommand() => new RheiBatchCommand();

    /// <inheritdoc />
    public override void Dispose()
    {
    }

    private static void RefuseOlapRoutesInTransaction(IReadOnlyList<RheiBatchCommand> commands)
    {
        for (var i = 0; i < commands.Count; i++)
        {
            if (commands[i].Route == RheiRoute.Olap)
            {
                throw new InvalidOperationException(
                    $"Batch command {i} asks for Route=Olap, but this batch runs in a SQLite transaction (it writes, or the connection has a transaction), where every command runs on SQLite. Run the analytical read as a command of its own or in a batch of reads only.");
            }
        }
    }

    private async Task<int> RunUntracedAsync(
        Func<RheiCommand, CancellationToken, Task<(int Affected, DataTable? Table)>> run,
        CancellationToken cancellationToken,
        Func<int, (int Affected, DataTable? Table), int> collect)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var ownsConnection = Connection is null && _dataSource is not null;
        var connection = Connection ?? (ownsConnection
            ? await _dataSource!.OpenConnectionAsync(cancellationToken).ConfigureAwait(false)
            : throw new InvalidOperationException("ExecuteNonQuery can only be called when the batch has a connection. Set Connection first."));
        try
        {
            var commands = ((IEnumerable<RheiBatchCommand>)BatchCommands).ToList();
            var transaction = Transaction ?? connection.Transaction;
            var ownsTransaction = transaction is null && commands.Any(static c => SqlAnalyzer.Analyze(c.CommandText).HasSideEffects);
            if (transaction is not null || ownsTransaction)
            {
                RefuseOlapRoutesInTransaction(commands);
            }

            if (ownsTransaction)
            {
                transaction = connection.BeginTransaction();
            }

            try
            {
                var total = 0;
                foreach (var batchCommand in commands)
                {
                    using var command = new RheiCommand(batchCommand.CommandText, connection, transaction)
                    {
                        Route = batchCommand.Route,
                        CommandTimeout = Timeout,
                        BatchTelemetry = _telemetry,
                    };
                    foreach (var parameter in batchCommand.Parameters.Items)
                    {
                        command.Parameters.Add(parameter.Clone());
                    }

                    var item = await run(command, cancellationToken).ConfigureAwait(false);
                    batchCommand.RecordsAffectedValue = item.Affected;
                    total = collect(total, item);
                }

                if (ownsTransaction)
                {
                    transaction!.Commit();
                }

                return total;
            }
            catch
            {
                if (ownsTransaction)
                {
                    transaction!.Dispose();
                }

                throw;
            }
        }
        finally
        {
            if (ownsConnection)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
