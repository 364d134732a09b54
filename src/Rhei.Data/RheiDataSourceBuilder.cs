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

    /// <summary>Builds the data source. It owns its engine: dispose it when done.</summary>
    /// <exception cref="ArgumentException">The configuration is invalid; the message names the key.</exception>
    public RheiDataSource Build()
    {
        var options = RheiOptions.From(ConnectionStringBuilder);
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

        return RheiDataSource.CreateOwned(options, _loggerFactory);
    }
}
