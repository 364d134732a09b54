using System.Runtime.InteropServices;
using Rhei.Data.Olap.Native;

namespace Rhei.Data.Olap;

/// <summary>One DuckDB database instance (<c>duckdb_database</c>). Keep one per file per process.</summary>
internal sealed class DuckDbDatabase : IDisposable
{
    private const string InMemory = ":memory:";

    private readonly DuckDbDatabaseHandle _handle;
    private readonly DuckDbChangeTracker _changes = new();

    private DuckDbDatabase(DuckDbDatabaseHandle handle) => _handle = handle;

    /// <summary>Opens or creates a database; <paramref name="path"/> null or ":memory:" means in memory.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="config">DuckDB configuration options (threads, memory_limit, access_mode, ...), applied at open.</param>
    public static DuckDbDatabase Open(string? path, IReadOnlyDictionary<string, string>? config = null)
    {
        DuckDbLibrary.EnsureLoaded();

        if (NativeMethods.Startup.CreateConfig(out DuckDbConfigHandle configHandle) != DuckDbState.Success)
        {
            configHandle.Dispose();
            throw new DuckDbException("DuckDB could not allocate a configuration object.");
        }

        using (configHandle)
        {
            if (config is not null)
            {
                foreach (KeyValuePair<string, string> option in config)
                {
                    if (NativeMethods.Startup.SetConfig(configHandle, option.Key, option.Value) != DuckDbState.Success)
                    {
                        throw new DuckDbException(
                            $"DuckDB rejected the value given for configuration option '{option.Key}'. Check the option's documented values.");
                    }
                }
            }

            DuckDbState state = NativeMethods.Startup.OpenExt(path ?? InMemory, out DuckDbDatabaseHandle handle, configHandle, out nint error);
            if (state != DuckDbState.Success)
            {
                handle.Dispose();
                string message = error != 0 ? Marshal.PtrToStringUTF8(error) ?? string.Empty : string.Empty;
                if (error != 0)
                {
                    NativeMethods.Helpers.Free(error);
                }

                throw new DuckDbException(message.Length > 0 ? message : $"DuckDB could not open the database '{path ?? InMemory}'.");
            }

            return new DuckDbDatabase(handle);
        }
    }

    /// <summary>Opens a new connection. Each session belongs to one thread at a time.</summary>
    public DuckDbSession Connect()
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        if (NativeMethods.Startup.Connect(_handle, out DuckDbConnectionHandle connection) != DuckDbState.Success)
        {
            connection.Dispose();
            throw new DuckDbException("DuckDB could not open a connection to the database.");
        }

        return new DuckDbSession(connection, _changes);
    }

    public void Dispose() => _handle.Dispose();
}
