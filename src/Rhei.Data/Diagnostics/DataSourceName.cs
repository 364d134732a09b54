namespace Rhei.Data.Diagnostics;

/// <summary>
/// The default diagnostics name of a data source: its SQLite <c>Data Source</c> as written. A <c>file:</c> URI keeps its
/// path and loses its query string, where options (and, for encrypted builds of SQLite, keys) may be written.
/// </summary>
internal static class DataSourceName
{
    public static string Of(string dataSource)
    {
        var query = dataSource.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? dataSource : dataSource[..query];
    }
}
