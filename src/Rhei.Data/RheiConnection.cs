using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;
using Rhei.Data.Olap;

namespace Rhei.Data;

/// <summary>
/// A connection to a SQLite database with a DuckDB mirror. Writes and transactions go to SQLite; reads
/// with analytical shape go to DuckDB, which answers them as SQLite would.
/// </summary>
/// <remarks>
/// Connections are cheap: the DuckDB database, the schema registry and the sync loop live in an engine
/// shared by every connection with the same connection string (or the same <see cref="RheiDataSource"/>).
/// A connection may be used by one thread at a time. SQLite and DuckDB calls run on the calling thread;
/// the asynchronous methods complete synchronously once the engine has started, except where a read
/// waits for the mirror to catch up.
/// </remarks>
public sealed partial class RheiConnection : DbConnection
{
    private string _connectionString = string.Empty;
    private RheiOptions? _options;
    private RheiDataSource? _dataSource;
    private readonly bool _boundToDataSource;
    private RheiEngine? _engine;
    private SqliteConnection? _sqlite;
    private OlapSession? _olapSession;
    private ConnectionState _state = ConnectionState.Closed;
    private bool _schemaChangedInTransaction;
    private bool _openedOnce;
    private bool _disposed;

    /// <summary>Initializes a new, closed connection with no connection string.</summary>
    public RheiConnection()
    {
    }

    /// <summary>Initializes a new, closed connection.</summary>
    /// <param name="connectionString">A Rhei.Data connection string, e.g. <c>Data Source=app.db;Olap=DuckDb</c>.</param>
    /// <exception cref="ArgumentException">The connection string is malformed; the message names the key.</exception>
    public RheiConnection(string? connectionString)
    {
        ConnectionString = connectionString;
    }

    internal RheiConnection(RheiDataSource dataSource)
    {
        _dataSource = dataSource;
        _options = dataSource.Options;
        _connectionString = dataSource.Options.NormalizedConnectionString;
        _boundToDataSource = true;
    }

    /// <inheritdoc />
    /// <remarks>
    /// As in SqlClient, once the connection has been opened the string comes back without its <c>Password</c>
    /// unless it says <c>Persist Security Info=True</c>; a connection from a <see cref="RheiDataSource"/> never shows it.
    /// </remarks>
    [AllowNull]
    public override string ConnectionString
    {
        get => _options is { } options && (_boundToDataSource || (_openedOnce && !options.PersistSecurityInfo))
            ? options.ConnectionStringWithoutPassword
            : _connectionString;
        set
        {
            if (_boundToDataSource)
            {
                throw new InvalidOperationException("The connection string of a connection created by a RheiDataSource cannot be changed.");
            }

            if (_state != ConnectionState.Closed)
            {
                throw new InvalidOperationException("ConnectionString cannot be set when the connection is open. Close it first.");
            }

            value ??= string.Empty;
            // Parse now so a bad key or value fails here, naming the key, not later at Open.
            _options = value.Length == 0 ? null : RheiOptions.FromConnectionString(value);
            _connectionString = value;
            _dataSource = null;
            _openedOnce = false;
        }
    }

    /// <inheritdoc />
    public override string Database => "main";

    /// <inheritdoc />
    public override string DataSource => _options?.DataSource ?? string.Empty;

    /// <inheritdoc />
    public override string ServerVersion
        => $"SQLite {SqliteVersion()}" + (_options?.Olap == RheiOlapEngine.DuckDb ? $"; DuckDB {DuckDbVersion()}" : string.Empty);

    /// <inheritdoc />
    public override ConnectionState State => _state;

    /// <summary>The default route of commands on this connection whose route is <see cref="RheiRoute.Auto"/>.</summary>
    public RheiRoute DefaultRoute => _options?.DefaultRoute ?? RheiRoute.Auto;

    /// <inheritdoc />
    public override int ConnectionTimeout => 0;

    /// <summary>The default command timeout in seconds, from SQLite's <c>Default Timeout</c> key (30 by default).</summary>
    public int DefaultTimeout => _sqlite?.DefaultTimeout ?? 30;

    /// <inheritdoc />
    protected override DbProviderFactory DbProviderFactory => RheiFactory.Instance;

    /// <inheritdoc />
    public override bool CanCreateBatch => true;

    /// <summary>The current transaction, if any.</summary>
    internal RheiTransaction? Transaction { get; private set; }

    internal RheiOptions Options => _options ?? throw new InvalidOperationException("The ConnectionString property has not been initialized.");

    /// <summary>The SQLite connection underneath, for the EF Core layer (functions, collations).</summary>
    internal SqliteConnection SqliteConnection
        => _sqlite ?? throw new InvalidOperationException(CallRequiresOpenConnection("SqliteConnection"));

    internal RheiEngine Engine => _engine ?? throw new InvalidOperationException(CallRequiresOpenConnection("Engine"));

    /// <summary>Raised after the SQLite connection underneath opens: register functions and collations here.</summary>
    internal event Action<SqliteConnection>? SqliteConnectionOpened;

    /// <inheritdoc />
    public override void Open() => OpenCoreAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc />
    public override Task OpenAsync(CancellationToken cancellationToken) => OpenCoreAsync(async: true, cancellationToken);

    private async Task OpenCoreAsync(bool async, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (_state == ConnectionState.Open)
        {
            return;
        }

        var options = _options ?? throw new InvalidOperationException("The ConnectionString property has not been initialized.");
        if (options.Olap == RheiOlapEngine.DuckDb && options.IsPrivateInMemorySqlite)
        {
            throw new ArgumentException(
                $"Olap=DuckDb needs a SQLite database every connection can see, but Data Source '{options.DataSource}' is an in-memory database private to one connection (':memory:', 'Mode=Memory' or 'mode=memory' without shared cache). Use a file (\"Data Source=app.db\"), a shared in-memory database (\"Data Source=name;Mode=Memory;Cache=Shared\" or \"Data Source=file:name?mode=memory&cache=shared\"), or Olap=None for a plain SQLite connection.",
                "Data Source");
        }

        if (!_boundToDataSource)
        {
            // Look the shared data source up each time: ClearPool may have retired the one used before.
            _dataSource = RheiDataSource.GetShared(options);
        }

        var dataSource = _dataSource!;

        try
        {
            var engineTask = dataSource.GetEngineAsync(cancellationToken);
            _engine = async ? await engineTask.ConfigureAwait(false) : engineTask.GetAwaiter().GetResult();

            _sqlite = new SqliteConnection(options.SqliteConnectionString);
            if (async)
            {
                await _sqlite.OpenAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                _sqlite.Open();
            }

            if (!options.IsInMemorySqlite)
            {
                using var pragma = _sqlite.CreateCommand();
                pragma.CommandText = "PRAGMA synchronous=NORMAL;";
                pragma.ExecuteNonQuery();
            }

            if (_engine.Sidecar?.SqliteSourcePath is { } sidecarSource)
            {
                Sidecar.SidecarSqliteFallback.Attach(_sqlite, sidecarSource);
            }

            SqliteConnectionOpened?.Invoke(_sqlite);
        }
        catch (Exception ex) when (RheiException.TryTranslate(ex, out var translated))
        {
            ResetAfterFailedOpen();
            throw translated;
        }
        catch
        {
            ResetAfterFailedOpen();
            throw;
        }

        _openedOnce = true;
        _state = ConnectionState.Open;
        OnStateChange(new StateChangeEventArgs(ConnectionState.Closed, ConnectionState.Open));
    }

    private void ResetAfterFailedOpen()
    {
        _sqlite?.Dispose();
        _sqlite = null;
        _engine = null;
    }

    /// <inheritdoc />
    /// <remarks>Closing a closed connection does nothing. The engine stays up for the next connection.</remarks>
    public override void Close()
    {
        if (_state == ConnectionState.Closed)
        {
            return;
        }

        try
        {
            Transaction?.Dispose();
        }
        finally
        {
            Transaction = null;
            if (_olapSession is not null)
            {
                _engine?.ReturnOlapSession(_olapSession);
                _olapSession = null;
            }

            _sqlite?.Dispose();
            _sqlite = null;
            _engine = null;
            _state = ConnectionState.Closed;
            OnStateChange(new StateChangeEventArgs(ConnectionState.Open, ConnectionState.Closed));
        }
    }

    /// <inheritdoc />
    public override Task CloseAsync()
    {
        Close();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override void ChangeDatabase(string databaseName)
        => throw new NotSupportedException("ChangeDatabase is not supported: a Rhei connection has one SQLite database and its mirror. Open a connection with another Data Source instead.");

    /// <summary>Creates a command on this connection.</summary>
    public new RheiCommand CreateCommand() => new() { Connection = this, Transaction = Transaction };

    /// <inheritdoc />
    protected override DbCommand CreateDbCommand() => CreateCommand();

    /// <summary>Creates a batch on this connection.</summary>
    public new RheiBatch CreateBatch() => new() { Connection = this };

    /// <inheritdoc />
    protected override DbBatch CreateDbBatch() => CreateBatch();

    /// <summary>Begins a transaction on SQLite; every command inside it runs on SQLite.</summary>
    public new RheiTransaction BeginTransaction() => (RheiTransaction)BeginDbTransaction(IsolationLevel.Unspecified);

    /// <summary>Begins a transaction on SQLite; every command inside it runs on SQLite.</summary>
    public new RheiTransaction BeginTransaction(IsolationLevel isolationLevel) => (RheiTransaction)BeginDbTransaction(isolationLevel);

    /// <summary>
    /// Begins a transaction on SQLite. With <paramref name="deferred"/> the write lock is taken at the first write,
    /// as SQLite's <c>BEGIN DEFERRED</c>.
    /// </summary>
    public RheiTransaction BeginTransaction(bool deferred) => BeginTransactionCore(IsolationLevel.Unspecified, deferred);

    /// <inheritdoc />
    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => BeginTransactionCore(isolationLevel, deferred: false);

    private RheiTransaction BeginTransactionCore(IsolationLevel isolationLevel, bool deferred)
    {
        var sqlite = RequireOpen(nameof(BeginTransaction));
        if (Transaction is not null)
        {
            throw new InvalidOperationException("SqliteConnection does not support nested transactions: a transaction is already active on this connection. Use savepoints (Save/Rollback/Release) instead.");
        }

        try
        {
            Transaction = new RheiTransaction(this, sqlite.BeginTransaction(isolationLevel, deferred));
            return Transaction;
        }
        catch (SqliteException ex)
        {
            throw RheiException.FromSqlite(ex);
        }
    }

    internal void OnTransactionCompleted(bool committed)
    {
        Transaction = null;
        if (_schemaChangedInTransaction)
        {
            _schemaChangedInTransaction = false;
            // DDL inside a transaction becomes visible to the engine only now; let replication catch up with it.
            if (committed && _engine?.Replication is { } replication)
            {
                replication.BeginSchemaChangeAsync(null, CancellationToken.None).GetAwaiter().GetResult()
                    .DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
    }

    internal void MarkSchemaChangedInTransaction() => _schemaChangedInTransaction = true;

    /// <summary>Borrows this connection's DuckDB session, creating it on first use.</summary>
    internal OlapSession GetOlapSession()
    {
        RequireOpen("ExecuteReader");
        return _olapSession ??= Engine.RentOlapSession();
    }

    internal SqliteConnection RequireOpen(string operation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _state == ConnectionState.Open && _sqlite is not null
            ? _sqlite
            : throw new InvalidOperationException(CallRequiresOpenConnection(operation));
    }

    internal static string CallRequiresOpenConnection(string operation)
        => $"{operation} can only be called when the connection is open. Call Open or OpenAsync first.";

    /// <summary>
    /// Shuts down every engine opened through a connection string: stops the sync loops, flushes and closes DuckDB.
    /// Data sources created with <see cref="RheiDataSource.Create"/> are not affected.
    /// </summary>
    public static void ClearAllPools()
    {
        RheiDataSource.ClearSharedAsync().AsTask().GetAwaiter().GetResult();
        SqliteConnection.ClearAllPools();
    }

    /// <summary>Shuts down the engine behind this connection's connection string, if it was opened from one.</summary>
    public static void ClearPool(RheiConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!connection._boundToDataSource && connection._options is { } options)
        {
            RheiDataSource.ClearSharedAsync(options).AsTask().GetAwaiter().GetResult();
            SqliteConnection.ClearPool(new SqliteConnection(options.SqliteConnectionString));
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            Close();
            _disposed = true;
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static string SqliteVersion()
    {
        try
        {
            return new SqliteConnection().ServerVersion;
        }
        catch (InvalidOperationException)
        {
            return "unknown";
        }
    }

    private static string DuckDbVersion() => Olap.DuckDbDatabase.LibraryVersion;
}
