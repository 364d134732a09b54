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

    /// <summary>Builds the data source. It owns its engine: dispose it when done.</summary>
    public RheiDataSource Build() => RheiDataSource.Create(ConnectionStringBuilder.ConnectionString, _loggerFactory);
}
