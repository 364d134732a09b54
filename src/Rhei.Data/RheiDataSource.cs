using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace Rhei.Data;

/// <summary>
/// Owns one Rhei engine — the DuckDB mirror, the replication engine and its sync loop — and hands out
/// connections that share it. Connections opened from a connection string use a data source kept per
/// normalized connection string; one created here stays out of that shared map and is disposed by you.
/// </summary>
public sealed class RheiDataSource : DbDataSource
{
    private static readonly ConcurrentDictionary<string, RheiDataSource> s_shared = new(StringComparer.Ordinal);

    private readonly ILoggerFactory? _loggerFactory;
    private readonly bool _isShared;
    private readonly Lock _startLock = new();
    private Task<RheiEngine>? _engine;
    private int _disposed;

    private RheiDataSource(RheiOptions options, ILoggerFactory? loggerFactory, bool isShared)
    {
        Options = options;
        _loggerFactory = loggerFactory;
        _isShared = isShared;
    }

    /// <summary>Creates a data source that you own and dispose.</summary>
    /// <param name="connectionString">A Rhei.Data connection string.</param>
    /// <param name="loggerFactory">Where the engine logs; null for no logging.</param>
    /// <exception cref="ArgumentException">The connection string is malformed; the message names the key.</exception>
    public static RheiDataSource Create(string connectionString, ILoggerFactory? loggerFactory = null)
        => new(RheiOptions.FromConnectionString(connectionString), loggerFactory, isShared: false);

    /// <summary>Creates an owned data source from options already read (the builder adds what a string cannot say).</summary>
    internal static RheiDataSource CreateOwned(RheiOptions options, ILoggerFactory? loggerFactory)
        => new(options, loggerFactory, isShared: false);

    /// <inheritdoc />
    /// <remarks>Any password is left out.</remarks>
    public override string ConnectionString => Options.RedactedConnectionString;

    internal RheiOptions Options { get; }

    /// <summary>Creates a closed connection bound to this data source.</summary>
    public new RheiConnection CreateConnection() => new(this);

    /// <summary>Creates and opens a connection bound to this data source.</summary>
    public new RheiConnection OpenConnection()
    {
        var connection = CreateConnection();
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Creates and opens a connection bound to this data source.</summary>
    public new async ValueTask<RheiConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates a command on a connection of its own, opened when the command runs and closed after.</summary>
    public new RheiCommand CreateCommand(string? commandText = null) => new(commandText, this);

    /// <inheritdoc />
    protected override DbConnection CreateDbConnection() => CreateConnection();

    /// <inheritdoc />
    protected override DbConnection OpenDbConnection() => OpenConnection();

    /// <inheritdoc />
    protected override async ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default)
        => await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override DbCommand CreateDbCommand(string? commandText = null) => CreateCommand(commandText);

    /// <inheritdoc />
    protected override DbBatch CreateDbBatch() => new RheiBatch(this);

    internal static RheiDataSource GetShared(RheiOptions options)
        => s_shared.GetOrAdd(SharingKey(options), static (_, o) => new RheiDataSource(o, null, isShared: true), options);

    /// <summary>
    /// The key that shares one engine: the options with keys in one order and one case, and the files they name
    /// as full paths, so that "Olap Path=m.duckdb;Data Source=s.db" and "data source=./s.db;olap path=m.duckdb"
    /// are one engine, not two engines writing one DuckDB file.
    /// </summary>
    internal static string SharingKey(RheiOptions options)
    {
        var parsed = new DbConnectionStringBuilder { ConnectionString = options.NormalizedConnectionString };
        var canonical = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string key in parsed.Keys)
        {
            var name = key.ToLowerInvariant();
            var value = Convert.ToString(parsed[key], System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
            canonical[name] = name switch
            {
                "data source" when !options.IsInMemorySqlite => CanonicalPath(options.DataSource),
                "olap path" when options.OlapPath is { } olapPath => CanonicalPath(olapPath),
                "schema registry path" when options.SchemaRegistryPath is { } registryPath => CanonicalPath(registryPath),
                _ => value,
            };
        }

        return string.Join(";", canonical.Select(p => p.Key + "=" + p.Value));
    }

    /// <summary>A file named by the connection string, as one spelling: full, without "." or "..".</summary>
    internal static string CanonicalPath(string path)
    {
        var plain = path.StartsWith("file:", StringComparison.OrdinalIgnoreCase) && !path.Contains('?', StringComparison.Ordinal) ? path[5..] : path;
        try
        {
            return Path.GetFullPath(plain);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return path;
        }
    }

    /// <summary>Disposes every shared data source (those behind connection strings), flushing and closing their engines.</summary>
    internal static async ValueTask ClearSharedAsync()
    {
        foreach (var key in s_shared.Keys.ToArray())
        {
            if (s_shared.TryRemove(key, out var dataSource))
            {
                await dataSource.DisposeAsyncCore().ConfigureAwait(false);
            }
        }
    }

    internal static async ValueTask ClearSharedAsync(RheiOptions options)
    {
        if (s_shared.TryRemove(SharingKey(options), out var dataSource))
        {
            await dataSource.DisposeAsyncCore().ConfigureAwait(false);
        }
    }

    /// <summary>The started engine; the first caller starts it, every other caller waits for the same start.</summary>
    internal Task<RheiEngine> GetEngineAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var engine = _engine;
        if (engine is { IsCompletedSuccessfully: true })
        {
            return engine;
        }

        lock (_startLock)
        {
            if (_engine is null || _engine.IsFaulted || _engine.IsCanceled)
            {
                // Started without the caller's token: one caller giving up must not fail the others' start.
                _engine = Task.Run(() => RheiEngine.StartAsync(Options, _loggerFactory, CancellationToken.None), CancellationToken.None);
            }

            engine = _engine;
        }

        return engine.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DisposeAsyncCore().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    protected override async ValueTask DisposeAsyncCore()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_isShared)
        {
            s_shared.TryRemove(new KeyValuePair<string, RheiDataSource>(SharingKey(Options), this));
        }

        Task<RheiEngine>? engine;
        lock (_startLock)
        {
            engine = _engine;
            _engine = null;
        }

        if (engine is not null)
        {
            try
            {
                var started = await engine.ConfigureAwait(false);
                await started.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception) when (!engine.IsCompletedSuccessfully)
            {
                // The engine never started: there is nothing to stop.
            }
        }
    }
}
