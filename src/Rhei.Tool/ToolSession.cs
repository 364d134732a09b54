using Microsoft.Extensions.Logging;
using Rhei.Data;

namespace Rhei.Tool;

/// <summary>
/// One run of a command against a data source: the data source the tool owns (so the engine stops when the tool ends),
/// its open connection, and the warnings and errors the library logged, for the dashboard.
/// </summary>
internal sealed class ToolSession : IAsyncDisposable
{
    private ToolSession(string connectionString, RheiDataSource dataSource, RheiConnection connection, RecentLog log)
    {
        ConnectionString = connectionString;
        DataSource = dataSource;
        Connection = connection;
        Log = log;
    }

    /// <summary>The connection string as given: only for scrubbing messages, never printed.</summary>
    public string ConnectionString { get; }

    public RheiDataSource DataSource { get; }

    public RheiConnection Connection { get; }

    public RecentLog Log { get; }

    public static async Task<ToolSession> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var log = new RecentLog();
        var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(log).SetMinimumLevel(LogLevel.Warning));
        RheiDataSource dataSource;
        try
        {
            dataSource = RheiDataSource.Create(connectionString, loggerFactory);
        }
        catch (ArgumentException ex)
        {
            loggerFactory.Dispose();
            throw new ToolFailure("invalid connection string: " + ex.Message, ToolExitCodes.Usage);
        }

        try
        {
            var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return new ToolSession(connectionString, dataSource, connection, log);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            loggerFactory.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync().ConfigureAwait(false);
        await DataSource.DisposeAsync().ConfigureAwait(false);
    }
}
