using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Apache.Arrow.Ipc;
using Microsoft.Data.Sqlite;
using Rhei.Data.Arrow;
using Rhei.Data.Diagnostics;
using Rhei.Data.Olap;

namespace Rhei.Data;

/// <summary>
/// A SQL statement (or several, separated by semicolons) to run against a Rhei database. Each command is
/// routed to SQLite or DuckDB; <see cref="ExplainRoute"/> tells which and why.
/// </summary>
/// <remarks>
/// SQLite and DuckDB calls run on the calling thread; the asynchronous methods check the token and
/// complete synchronously, except where an analytical read waits for the mirror to catch up.
/// </remarks>
public sealed partial class RheiCommand : DbCommand
{
    private string _commandText = string.Empty;
    private RheiConnection? _connection;
    private readonly RheiDataSource? _dataSource;
    private RheiTransaction? _transaction;
    private int? _commandTimeout;
    private SqliteCommand? _sqliteCommand;
    private volatile DuckDbSession? _runningOlapSession;
    private volatile SQLitePCL.sqlite3? _runningOltp;

    /// <summary>Initializes a new command.</summary>
    public RheiCommand()
    {
    }

    /// <summary>Initializes a new command with its text.</summary>
    public RheiCommand(string? commandText)
    {
        CommandText = commandText;
    }

    /// <summary>Initializes a new command with its text and connection.</summary>
    public RheiCommand(string? commandText, RheiConnection? connection)
    {
        CommandText = commandText;
        Connection = connection;
    }

    /// <summary>Initializes a new command with its text, connection and transaction.</summary>
    public RheiCommand(string? commandText, RheiConnection? connection, RheiTransaction? transaction)
    {
        CommandText = commandText;
        Connection = connection;
        Transaction = transaction;
    }

    internal RheiCommand(string? commandText, RheiDataSource dataSource)
    {
        CommandText = commandText;
        _dataSource = dataSource;
    }

    /// <inheritdoc />
    [AllowNull]
    public override string CommandText
    {
        get => _commandText;
        set
        {
            ThrowIfReaderOpen(nameof(CommandText));
            value ??= string.Empty;
            if (!string.Equals(value, _commandText, StringComparison.Ordinal))
            {
                ResetPrepared();
                _commandText = value;
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>Defaults to the connection's <c>Default Timeout</c> (30 seconds). 0 waits forever.</remarks>
    public override int CommandTimeout
    {
        get => _commandTimeout ?? _connection?.DefaultTimeout ?? 30;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _commandTimeout = value;
        }
    }

    /// <inheritdoc />
    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text)
            {
                throw new ArgumentException($"CommandType '{value}' is not supported: SQLite and DuckDB take SQL text only.", nameof(value));
            }
        }
    }

    /// <summary>The engine this command asks for; <see cref="RheiRoute.Auto"/> lets the router decide.</summary>
    public RheiRoute Route { get; set; }

    /// <summary>The connection the command runs on.</summary>
    public new RheiConnection? Connection
    {
        get => _connection;
        set
        {
            ThrowIfReaderOpen(nameof(Connection));
            if (!ReferenceEquals(value, _connection))
            {
                ResetPrepared();
                _connection = value;
            }
        }
    }

    /// <inheritdoc />
    protected override DbConnection? DbConnection
    {
        get => Connection;
        set => Connection = value is null or RheiConnection ? (RheiConnection?)value
            : throw new InvalidCastException($"A RheiCommand needs a RheiConnection, not {value.GetType().Name}.");
    }

    /// <summary>The transaction the command runs in.</summary>
    public new RheiTransaction? Transaction
    {
        get => _transaction;
        set => _transaction = value;
    }

    /// <inheritdoc />
    protected override DbTransaction? DbTransaction
    {
        get => Transaction;
        set => Transaction = value is null or RheiTransaction ? (RheiTransaction?)value
            : throw new InvalidCastException($"A RheiCommand needs a RheiTransaction, not {value.GetType().Name}.");
    }

    /// <summary>The command's parameters.</summary>
    public new RheiParameterCollection Parameters { get; } = new();

    /// <inheritdoc />
    protected override DbParameterCollection DbParameterCollection => Parameters;

    /// <inheritdoc />
    public override bool DesignTimeVisible { get; set; }

    /// <inheritdoc />
    public override UpdateRowSource UpdatedRowSource { get; set; }

    /// <summary>Creates a parameter.</summary>
    public new RheiParameter CreateParameter() => new();

    /// <inheritdoc />
    protected override DbParameter CreateDbParameter() => CreateParameter();

    /// <summary>Says which engine would run this command now, and why, without running it.</summary>
    public RheiRouteExplanation ExplainRoute()
    {
        var connection = RequireConnection(nameof(ExplainRoute));
        var plan = Plan(connection);
        return new RheiRouteExplanation(plan.Target, plan.Reason, plan.Rule.ToString(), plan.OlapSql);
    }

    /// <inheritdoc />
    /// <remarks>Checks that the text can be parsed; statements are prepared and cached on first execution.</remarks>
    public override void Prepare()
    {
        var connection = RequireConnection(nameof(Prepare));
        _ = Plan(connection);
    }

    /// <inheritdoc />
    /// <remarks>Interrupts a running DuckDB query, or the SQLite statement running on this command's connection.</remarks>
    public override void Cancel()
    {
        _runningOlapSession?.Interrupt();
        if (_runningOltp is { } handle)
        {
            SQLitePCL.raw.sqlite3_interrupt(handle);
        }
    }

    /// <inheritdoc />
    public override int ExecuteNonQuery()
        => ExecuteNonQueryCoreAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc />
    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
        => ExecuteNonQueryCoreAsync(async: true, cancellationToken);

    /// <inheritdoc />
    public override object? ExecuteScalar()
        => ExecuteScalarCoreAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc />
    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
        => ExecuteScalarCoreAsync(async: true, cancellationToken);

    /// <summary>Runs the command and reads its results.</summary>
    public new RheiDataReader ExecuteReader() => ExecuteReader(CommandBehavior.Default);

    /// <summary>Runs the command and reads its results.</summary>
    public new RheiDataReader ExecuteReader(CommandBehavior behavior)
        => ExecuteReaderCoreAsync(behavior, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Runs the command and reads its results.</summary>
    public new Task<RheiDataReader> ExecuteReaderAsync(CancellationToken cancellationToken = default)
        => ExecuteReaderCoreAsync(CommandBehavior.Default, async: true, cancellationToken);

    /// <summary>Runs the command and reads its results.</summary>
    public new Task<RheiDataReader> ExecuteReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken = default)
        => ExecuteReaderCoreAsync(behavior, async: true, cancellationToken);

    /// <inheritdoc />
    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => ExecuteReader(behavior);

    /// <inheritdoc />
    protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
        => await ExecuteReaderCoreAsync(behavior, async: true, cancellationToken).ConfigureAwait(false);

    private async Task<int> ExecuteNonQueryCoreAsync(bool async, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfReaderOpen();
        CommandPlan? plan = null;
        if (_dataSource is null || _connection is not null)
        {
            (var connection, plan) = PlanExecution(nameof(ExecuteNonQuery), cancellationToken);
            if (plan is { Control: null, Target: RheiRoute.Oltp, IsSchemaChange: false })
            {
                // The common write: straight to SQLite, without a reader in between.
                var command = PrepareSqliteCommand(connection, plan);
                return RunOltp(command, static c => c.ExecuteNonQuery(), cancellationToken);
            }
        }

        await using var reader = await ExecuteReaderCoreAsync(CommandBehavior.Default, async, plan, cancellationToken).ConfigureAwait(false);
        // Run every statement to the end, as Microsoft.Data.Sqlite does, so each one's changes are counted.
        do
        {
            while (async ? await reader.ReadAsync(cancellationToken).ConfigureAwait(false) : reader.Read())
            {
            }
        }
        while (async ? await reader.NextResultAsync(cancellationToken).ConfigureAwait(false) : reader.NextResult());

        return reader.RecordsAffected;
    }

    private async Task<object?> ExecuteScalarCoreAsync(bool async, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfReaderOpen();
        CommandPlan? plan = null;
        if (_dataSource is null || _connection is not null)
        {
            (var connection, plan) = PlanExecution(nameof(ExecuteScalar), cancellationToken);
            if (plan is { Control: null, Target: RheiRoute.Oltp, IsSchemaChange: false })
            {
                var command = PrepareSqliteCommand(connection, plan);
                return RunOltp(command, static c => c.ExecuteScalar(), cancellationToken);
            }
        }

        await using var reader = await ExecuteReaderCoreAsync(CommandBehavior.Default, async, plan, cancellationToken).ConfigureAwait(false);
        return (async ? await reader.ReadAsync(cancellationToken).ConfigureAwait(false) : reader.Read())
            ? reader.GetValue(0)
            : null;
    }

    private Task<RheiDataReader> ExecuteReaderCoreAsync(CommandBehavior behavior, bool async, CancellationToken cancellationToken)
        => ExecuteReaderCoreAsync(behavior, async, plan: null, cancellationToken);

    private async Task<RheiDataReader> ExecuteReaderUntrackedAsync(CommandBehavior behavior, bool async, CommandPlan? plan, CancellationToken cancellationToken)
    {
        if (_dataSource is not null && _connection is null)
        {
            return await ExecuteOnOwnConnectionAsync(behavior, async, cancellationToken).ConfigureAwait(false);
        }

        RheiConnection connection;
        if (plan is null)
        {
            (connection, plan) = PlanExecution(nameof(ExecuteReader), cancellationToken);
        }
        else
        {
            connection = _connection!;
        }

        if (plan.Control is { } control)
        {
            return await RheiControlCommands.ExecuteAsync(connection, control, behavior, cancellationToken).ConfigureAwait(false);
        }

        if (plan.Target == RheiRoute.Olap)
        {
            try
            {
                return await ExecuteOlapAsync(connection, plan, behavior, cancellationToken).ConfigureAwait(false);
            }
            catch (RheiException ex) when (ex.Engine == RheiException.DuckDbEngineName && plan.FallbackToOltp && !cancellationToken.IsCancellationRequested)
            {
                // The router chose DuckDB but DuckDB could not run it: SQLite's answer is the right one.
                RheiDiagnostics.OlapFallbacks.Add(1, new KeyValuePair<string, object?>("rhei.data_source", connection.Options.RedactedConnectionString));
                connection.Engine.Replication?.ReportReadFailure(ex.InnerException);
            }
        }

        return await ExecuteOltpAsync(connection, plan, behavior, cancellationToken).ConfigureAwait(false);
    }

    private T RunOltp<T>(SqliteCommand command, Func<SqliteCommand, T> run, CancellationToken cancellationToken)
        => RunOltp(command, run, static (c, r) => r(c), cancellationToken);

    /// <summary>Runs a SQLite call with the token and <see cref="Cancel"/> wired to sqlite3_interrupt, translating SQLite's errors.</summary>
    private T RunOltp<TState, T>(SqliteCommand command, TState state, Func<SqliteCommand, TState, T> run, CancellationToken cancellationToken)
    {
        var handle = command.Connection!.Handle!;
        _runningOltp = handle;
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static s => SQLitePCL.raw.sqlite3_interrupt((SQLitePCL.sqlite3)s!), handle)
            : default;
        try
        {
            return run(command, state);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SQLitePCL.raw.SQLITE_INTERRUPT)
        {
            throw new OperationCanceledException("The command was canceled.", RheiException.FromSqlite(ex), cancellationToken);
        }
        catch (SqliteException ex)
        {
            throw RheiException.FromSqlite(ex);
        }
        finally
        {
            _runningOltp = null;
        }
    }

    private async Task<RheiDataReader> ExecuteOnOwnConnectionAsync(CommandBehavior behavior, bool async, CancellationToken cancellationToken)
    {
        var connection = _dataSource!.CreateConnection();
        try
        {
            if (async)
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                connection.Open();
            }

            _connection = connection;
            try
            {
                return await ExecuteReaderCoreAsync(behavior | CommandBehavior.CloseConnection, async, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // The reader still uses the SQLite command; it goes when the connection closes with the reader.
                _connection = null;
                _sqliteCommand = null;
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<RheiDataReader> ExecuteOltpAsync(
        RheiConnection connection, CommandPlan plan, CommandBehavior behavior, CancellationToken cancellationToken)
    {
        var command = PrepareSqliteCommand(connection, plan);
        var schemaChange = plan.IsSchemaChange && connection.Engine.Replication is { } replication && connection.Transaction is null
            ? await replication.BeginSchemaChangeAsync(plan.SchemaChangeTable, cancellationToken).ConfigureAwait(false)
            : null;
        if (plan.IsSchemaChange && connection.Transaction is not null)
        {
            connection.MarkSchemaChangedInTransaction();
        }

        try
        {
            // Microsoft.Data.Sqlite runs every statement synchronously; so does this, with the token wired to sqlite3_interrupt.
            var reader = RunOltp(command, behavior, static (c, b) => c.ExecuteReader(b), cancellationToken);
            return CreateOltpReader(connection, reader, behavior, schemaChange);
        }
        catch
        {
            if (schemaChange is not null)
            {
                await schemaChange.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>The SQLite command for this text, reused across executions so its statements stay prepared.</summary>
    private SqliteCommand PrepareSqliteCommand(RheiConnection connection, CommandPlan plan)
    {
        var sqlite = connection.RequireOpen(nameof(ExecuteReader));
        var command = _sqliteCommand;
        var text = plan.OltpText ?? _commandText;
        if (command is null || !ReferenceEquals(command.Connection, sqlite) || !string.Equals(command.CommandText, text, StringComparison.Ordinal))
        {
            command?.Dispose();
            command = sqlite.CreateCommand();
            command.CommandText = text;
            _sqliteCommand = command;
        }

        command.Transaction = _transaction?.SqliteTransaction;
        command.CommandTimeout = CommandTimeout;
        BindSqliteParameters(command);
        return command;
    }

    private void BindSqliteParameters(SqliteCommand command)
    {
        var parameters = command.Parameters;
        var items = Parameters.Items;
        // Rebind in place when the shape is unchanged so the prepared statements are reused.
        if (parameters.Count == items.Count)
        {
            var same = true;
            for (var i = 0; i < items.Count && same; i++)
            {
                same = string.Equals(parameters[i].ParameterName, SqliteName(items[i], i), StringComparison.Ordinal);
            }

            if (same)
            {
                for (var i = 0; i < items.Count; i++)
                {
                    var target = parameters[i];
                    var source = items[i];
                    target.Value = source.SqliteValue;
                    target.ResetDbType();
                    if (source.DbTypeIsSet)
                    {
                        target.DbType = source.DbType;
                    }

                    // Size 0 would truncate text to nothing in Microsoft.Data.Sqlite: only pass a real limit.
                    if (source.Size > 0 || target.Size > 0)
                    {
                        target.Size = source.Size > 0 ? source.Size : -1;
                    }
                }

                return;
            }
        }

        parameters.Clear();
        for (var i = 0; i < items.Count; i++)
        {
            parameters.Add(items[i].ToSqliteParameter(SqliteName(items[i], i)));
        }
    }

    // An unnamed parameter binds by position: SQLite names the i-th placeholder "?i".
    private static string SqliteName(RheiParameter parameter, int index)
        => parameter.ParameterName.Length > 0 ? parameter.ParameterName : "?" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<RheiDataReader> ExecuteOlapAsync(
        RheiConnection connection, CommandPlan plan, CommandBehavior behavior, CancellationToken cancellationToken)
    {
        var engine = connection.Engine;
        OlapSession olapSession;
        try
        {
            if (engine.Replication is { } replication && connection.Options.Freshness == RheiFreshness.Strong)
            {
                await replication.EnsureFreshAsync(cancellationToken).ConfigureAwait(false);
            }
            else if (engine.Replication is { } eventual && connection.Options.MaxStaleness is { } bound)
            {
                await eventual.EnsureFreshWithinAsync(bound, cancellationToken).ConfigureAwait(false);
            }

            if (engine.Sidecar is { } sidecar)
            {
                await sidecar.EnsureFreshAsync(cancellationToken).ConfigureAwait(false);
            }

            olapSession = connection.GetOlapSession();
        }
        catch (Exception ex) when (RheiException.TryTranslate(ex, out var translated))
        {
            // The freshness check reads SQLite's log and syncs the mirror; a failure there is an engine error like any other
            // (and a DuckDB one lets an auto-routed read fall back to SQLite).
            throw translated;
        }

        var session = olapSession.Session;
        var timeout = CommandTimeout;
        _runningOlapSession = session;
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static s => ((DuckDbSession)s!).Interrupt(), session)
            : default;
        // Microsoft.Data.Sqlite takes any timeout up to int.MaxValue seconds; a Timer waits at most ~49.7 days, so a longer one waits that long.
        using var timer = timeout > 0
            ? new Timer(static s => ((DuckDbSession)s!).Interrupt(), session, TimeSpan.FromSeconds(Math.Min(timeout, MaxTimerSeconds)), Timeout.InfiniteTimeSpan)
            : null;
        try
        {
            return ExecuteOlapStatements(connection, olapSession, plan, behavior);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && timeout > 0)
        {
            throw new RheiException($"The command timed out after {timeout} seconds on DuckDB and was interrupted.", RheiException.DuckDbEngineName, 0, new TimeoutException());
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The command was canceled.", ex, cancellationToken);
        }
        finally
        {
            _runningOlapSession = null;
        }
    }

    // Timer's longest due time is 0xFFFFFFFE milliseconds.
    private const int MaxTimerSeconds = 4_294_967;


    private RheiConnection RequireConnection(string operation)
        => _connection ?? throw new InvalidOperationException($"{operation} can only be called when the command has a connection. Set Connection first.");

    private void ResetPrepared()
    {
        _cachedPlan = null;
        _sqliteCommand?.Dispose();
        _sqliteCommand = null;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ResetPrepared();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// Runs the command and reads its first result as Apache Arrow record batches: INTEGER, REAL, TEXT and BLOB
    /// values become Int64, Double, Utf8 and Binary columns, with the same schema and values whichever engine answers.
    /// Routing, freshness and fallback are those of <see cref="ExecuteReader()"/>. Dispose the stream to release the result.
    /// </summary>
    public IArrowArrayStream ExecuteArrowReader()
        => RheiArrowExecution.ExecuteAsync(this, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Runs the command and reads its first result as Apache Arrow record batches; see <see cref="ExecuteArrowReader"/>.</summary>
    public Task<IArrowArrayStream> ExecuteArrowReaderAsync(CancellationToken cancellationToken = default)
        => RheiArrowExecution.ExecuteAsync(this, async: true, cancellationToken);
}
