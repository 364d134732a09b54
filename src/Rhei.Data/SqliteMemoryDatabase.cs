using Microsoft.Data.Sqlite;

namespace Rhei.Data;

/// <summary>
/// Tells, from the connection-string settings alone, whether a SQLite database lives in memory and whether
/// other connections of the process can see it. SQLite's rules (https://sqlite.org/inmemorydb.html): the bare
/// name <c>:memory:</c> is always private, whatever the cache mode; a URI with <c>mode=memory</c> (or the path
/// <c>:memory:</c>) and Microsoft.Data.Sqlite's <c>Mode=Memory</c> are in memory, shared only with shared cache
/// (<c>cache=shared</c> in the URI or <c>Cache=Shared</c>); an empty name is a private temporary database.
/// </summary>
internal static class SqliteMemoryDatabase
{
    public static (bool InMemory, bool Private) Classify(string dataSource, SqliteOpenMode mode, SqliteCacheMode cache)
    {
        var name = dataSource.Trim();
        if (name.Length == 0 || name == ":memory:")
        {
            return (true, true);
        }

        var inMemory = mode == SqliteOpenMode.Memory;
        var shared = cache == SqliteCacheMode.Shared;
        if (name.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            var query = name.IndexOf('?', StringComparison.Ordinal);
            var path = query < 0 ? name["file:".Length..] : name["file:".Length..query];
            inMemory |= path == ":memory:";
            if (query >= 0)
            {
                foreach (var pair in name[(query + 1)..].Split('&'))
                {
                    var equals = pair.IndexOf('=', StringComparison.Ordinal);
                    var key = equals < 0 ? pair : pair[..equals];
                    var value = equals < 0 ? string.Empty : pair[(equals + 1)..];
                    if (key.Equals("mode", StringComparison.OrdinalIgnoreCase) && value.Equals("memory", StringComparison.OrdinalIgnoreCase))
                    {
                        inMemory = true;
                    }
                    else if (key.Equals("cache", StringComparison.OrdinalIgnoreCase))
                    {
                        // The URI parameter overrides the open flag, as in sqlite3_open_v2.
                        shared = value.Equals("shared", StringComparison.OrdinalIgnoreCase);
                    }
                }
            }
        }

        return (inMemory, inMemory && !shared);
    }
}
