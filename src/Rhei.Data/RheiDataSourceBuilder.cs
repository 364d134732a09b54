using Microsoft.Extensions.Logging;

namespace Rhei.Data;

/// <summary>Configures and builds a <see cref="RheiDataSource"/>: the connection string plus what it cannot say.</summary>
/// <example><code>
/// await using var dataSource = new RheiDataSourceBuilder("Data Source=app.db")
///     .UseLoggerFactory(loggerFactory)
///     .Build();
/// </code></example>
public sealed class RheiDataSourceBuilder
{
    private readonly Dictionary<string, Sidecar.SidecarTableSettings> _sidecarTables = new(StringComparer.OrdinalIgnoreCase);
    private ILoggerFactory? _loggerFactory;
    private IProgress<long>? _sidecarCopyProgress;
    private bool _traceQueryText;

    /// <summary>Initializes a builder, optionally from a connection string.</summary>
    /// <exception cref="ArgumentException">The connection string is malformed; the message names the key.</exception>
    public RheiDataSourceBuilder(string? connectionString = null)
    {
        ConnectionStringBuilder = new RheiConnectionStringBuilder(connectionString);
    }

    /// <summary>The connection string being built; set keys here before <see cref="Build"/>.</summary>
    public RheiConnectionStringBuilder ConnectionStringBuilder { get; }

    /// <summary>The connection string as it stands.</summary>
    public string ConnectionString => ConnectionStringBuilder.ConnectionString;

    /// <summary>Sends the engine's logs (sync cycles, quarantines, fallbacks) to a logger factory.</summary>
    public RheiDataSourceBuilder UseLoggerFactory(ILoggerFactory? loggerFactory)
    {
        _loggerFactory = loggerFactory;
        return this;
    }

    /// <summary>
    /// In sidecar mode, says of one followed table what a connection string cannot: the columns to mirror, the key
    /// (for a table without a declared primary key) and its timestamp columns. Null keeps the default. A table named
    /// here is followed even when <c>Sidecar Tables</c> does not list it.
    /// </summary>
    /// <param name="table">The table at the source.</param>
    /// <param name="columns">The columns to mirror, in any order; null mirrors every column.</param>
    /// <param name="primaryKey">The columns that identify a row; null takes the table's primary key.</param>
    /// <param name="updatedAtColumn">The column timestamp capture polls by; null takes <c>Updated At Column</c>.</param>
    /// <param name="createdAtColumn">The creation-time column; null takes <c>Created At Column</c>.</param>
    public RheiDataSourceBuilder FollowTable(
        string table,
        IEnumerable<string>? columns = null,
        IEnumerable<string>? primaryKey = null,
        string? updatedAtColumn = null,
        string? createdAtColumn = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        _sidecarTables[table.Trim()] = new Sidecar.SidecarTableSettings(columns?.ToArray(), primaryKey?.ToArray(), updatedAtColumn, createdAtColumn);
        return this;
    }

    /// <summary>
    /// In sidecar mode, hears how many rows the data source's start has copied into the mirror so far, while it copies
    /// the followed tables (a mirror resumed from its stored position copies nothing): as
    /// <see cref="RheiConnection.InitialSyncAllAsync"/>'s progress does, about every 10,000 rows and once at the end.
    /// It is called on the copying thread, so it should return quickly; <see cref="Progress{T}"/> posts elsewhere itself.
    /// </summary>
    /// <param name="progress">The listener; null hears nothing (the default).</param>
    public RheiDataSourceBuilder UseSidecarCopyProgress(IProgress<long>? progress)
    {
        _sidecarCopyProgress = progress;
        return this;
    }

    /// <summary>
    /// The data source's name in metrics, traces and health checks (the <c>db.namespace</c> tag), as Npgsql's data source
    /// name. Null (the default) uses the SQLite <c>Data Source</c> as written, without a URI's query string.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>
    /// Puts each command's text on its trace span as <c>db.query.text</c>. Off by default, as OpenTelemetry advises: the
    /// text may hold literals an operator should not see in a trace backend. Parameter values are never recorded.
    /// </summary>
    public RheiDataSourceBuilder EnableQueryTextInTraces(bool enable = true)
    {
        _traceQueryText = enable;
        return this;
    }

    /// <summary>Builds the data source. It owns its engine: dispose it when done.</summary>
    /// <exception cref="ArgumentException">The configuration is invalid; the message names the key.</exception>
    public RheiDataSource Build()
    {
        var options = RheiOptions.From(ConnectionStringBuilder) with { TraceQueryText = _traceQueryText };
        if (!string.IsNullOrWhiteSpace(Name))
        {
            options = options with { DiagnosticsName = Name };
        }

        if (_sidecarTables.Count > 0)
        {
            if (options.Sidecar is not { } sidecar)
            {
                throw new ArgumentException("FollowTable configures a sidecar table, but 'Sidecar' is None. Set 'Sidecar=Sqlite' or 'Sidecar=PostgreSql'.", "Sidecar");
            }

            var tables = sidecar.Settings.Tables.Count == 0 ? sidecar.Settings.Tables : sidecar.Settings.Tables.Union(_sidecarTables.Keys, StringComparer.OrdinalIgnoreCase).ToArray();
            options = options with
            {
                Sidecar = sidecar with
                {
                    Settings = sidecar.Settings with
                    {
                        Tables = tables,
                        TableSettings = new Dictionary<string, Sidecar.SidecarTableSettings>(_sidecarTables, StringComparer.OrdinalIgnoreCase),
                    },
                },
            };
        }

        if (_sidecarCopyProgress is not null)
        {
            options = options with
            {
                Sidecar = (options.Sidecar ?? throw new ArgumentException("UseSidecarCopyProgress hears a sidecar copy, but 'Sidecar' is None. Set 'Sidecar=Sqlite' or 'Sidecar=PostgreSql'.", "Sidecar"))
                    with { CopyProgress = _sidecarCopyProgress },
            };
        }

        return RheiDataSource.FromOptions(options, _loggerFactory);
    }
}
