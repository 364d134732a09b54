using Microsoft.Extensions.Logging;

namespace Rhei.Data.Sidecar;

/// <summary>Chooses the sidecar source the options name: the one place that knows every source class.</summary>
internal static class SidecarSourceFactory
{
    public static ISidecarSource Create(SidecarOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Kind switch
        {
            RheiSidecar.Sqlite => new SqliteTimestampSource(loggerFactory),
            RheiSidecar.PostgreSql => CreatePostgreSql(options, loggerFactory),
            _ => throw new ArgumentException($"'Sidecar={options.Kind}' names no source.", "Sidecar"),
        };
    }

    // PostgreSQL sources (Sidecar/PostgreSql/PostgreSqlTimestampSource and PostgreSqlLogicalReplicationSource) are
    // built on another branch. At merge this method becomes:
    //     options.Capture == RheiSidecarCapture.LogicalReplication
    //         ? new PostgreSqlLogicalReplicationSource(loggerFactory)
    //         : new PostgreSqlTimestampSource(loggerFactory)
    private static ISidecarSource CreatePostgreSql(SidecarOptions options, ILoggerFactory loggerFactory)
    {
        _ = loggerFactory;
        throw new RheiException(
            $"'Sidecar=PostgreSql' ({options.Capture} capture) is not available in this build of Rhei.Data: its PostgreSQL sources are not included. Use 'Sidecar=Sqlite', or a build that includes the PostgreSQL sidecar.",
            RheiException.ProviderEngineName);
    }
}
