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
    private ILoggerFactory? _loggerFactory;
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
    /// <exception cref="ArgumentException">The connection string is malformed; the message names the key.</exception>
    public RheiDataSource Build()
    {
        var options = RheiOptions.From(ConnectionStringBuilder) with { TraceQueryText = _traceQueryText };
        if (!string.IsNullOrWhiteSpace(Name))
        {
            options = options with { DiagnosticsName = Name };
        }

        return RheiDataSource.FromOptions(options, _loggerFactory);
    }
}
