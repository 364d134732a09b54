using System.Data;
using System.Data.Common;

namespace Rhei.Data;

/// <summary>
/// Several commands run together in one transaction: all of them take effect or none does.
/// When the connection already has a transaction, the batch runs inside it.
/// </summary>
public sealed class RheiBatch : DbBatch
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

    private async Task<int> RunAsync(
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
            var transaction = Transaction ?? connection.Transaction;
            var ownsTransaction = transaction is null;
            transaction ??= connection.BeginTransaction();
            try
            {
                var total = 0;
                foreach (var batchCommand in (IEnumerable<RheiBatchCommand>)BatchCommands)
                {
                    using var command = new RheiCommand(batchCommand.CommandText, connection, transaction)
                    {
                        Route = batchCommand.Route,
                        CommandTimeout = Timeout,
                    };
                    foreach (var parameter in batchCommand.Parameters.Items)
                    {
                        command.Parameters.Add(new RheiParameter(parameter.ParameterName, parameter.Value));
                    }

                    var item = await run(command, cancellationToken).ConfigureAwait(false);
                    batchCommand.RecordsAffectedValue = item.Affected;
                    total = collect(total, item);
                }

                if (ownsTransaction)
                {
                    transaction.Commit();
                }

                return total;
            }
            catch
            {
                if (ownsTransaction)
                {
                    transaction.Dispose();
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
