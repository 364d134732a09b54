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

    private static ISidecarSource CreatePostgreSql(SidecarOptions options, ILoggerFactory loggerFactory)
    {
        _ = loggerFactory;
        return options.Capture == RheiSidecarCapture.LogicalReplication
            ? new PostgreSql.PostgreSqlLogicalReplicationSource()
            : new PostgreSql.PostgreSqlTimestampSource();
    }
}
