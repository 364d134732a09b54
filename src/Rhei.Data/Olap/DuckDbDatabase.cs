using System.Runtime.InteropServices;
using DuckDB.NET.Native;
using DuckDBNative = DuckDB.NET.Native.NativeMethods;

namespace Rhei.Data.Olap;

/// <summary>One DuckDB database instance (<c>duckdb_database</c>). Keep one per file per process.</summary>
/// <remarks>Rhei's mirror is opened with <see cref="OpenMirror"/>, locked down (docs/architecture.md, "DuckDB is locked down").</remarks>
internal sealed class DuckDbDatabase : IDisposable
{
    private const string InMemory = ":memory:";

    private readonly DuckDBDatabase _handle;
    private readonly DuckDbChangeTracker _changes = new();

    // An in-memory mirror's own temporary directory, removed with the database (nothing in it outlives the process).
    private readonly string? _privateTemp;

    private DuckDbDatabase(DuckDBDatabase handle, string? privateTemp)
    {
        _handle = handle;
        _privateTemp = privateTemp;
    }

    /// <summary>The count of writes across every session, which decides whether cached statements stay valid.</summary>
    internal DuckDbChangeTracker Changes => _changes;

    /// <summary>The version of the loaded libduckdb ("v1.5.6"), or a note saying it could not be loaded.</summary>
    public static string LibraryVersion
    {
        get
        {
            try
            {
                return DuckDBNative.Startup.DuckDBLibraryVersion() ?? "unknown";
            }
            catch (DllNotFoundException)
            {
                return "not loaded";
            }
        }
    }

    /// <summary>
    /// SQLite's answers as DuckDB defaults for every session: integer division truncates, x/0 is NULL, NULLs sort
    /// first ascending. The configuration form of <see cref="Sql.SqlTranslator.SessionSettings"/>, applied at open
    /// because a locked configuration refuses <c>SET</c>.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string> SqliteSemantics = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["integer_division"] = "true",
        ["ieee_floating_point_ops"] = "false",
        ["default_null_order"] = "nulls_first_on_asc_last_on_desc",
    };

    /// <summary>Opens or creates a database without restrictions; <paramref name="path"/> null or ":memory:" means in memory.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="config">DuckDB configuration options (threads, memory_limit, access_mode, ...), applied at open.</param>
    public static DuckDbDatabase Open(string? path, IReadOnlyDictionary<string, string>? config = null)
        => OpenChecked(path, config, lockDown: false, externalAccess: true, privateTemp: null);

    /// <summary>
    /// Opens Rhei's mirror: <see cref="SqliteSemantics"/> for every session, and locked down — no extension is
    /// installed or loaded on demand, SQL reaches no file or network location except the mirror's own files
    /// (unless <paramref name="externalAccess"/>), and the configuration is locked so that SQL cannot
    /// <c>SET</c> any of it back.
    /// </summary>
    /// <param name="path">A local file, or null for in memory. Remote locations (<c>md:</c>, <c>s3://</c>, <c>http://</c> …) are refused before DuckDB sees them.</param>
    /// <param name="externalAccess">True to leave DuckDB's file functions (<c>read_csv</c>, <c>COPY … TO</c>, <c>ATTACH</c>) on.</param>
    /// <param name="memoryLimit">DuckDB's <c>memory_limit</c> in bytes (<c>Olap Memory Limit</c>); null keeps DuckDB's default.</param>
    /// <remarks>
    /// DuckDB spills (large sorts, joins, a durable mirror's pages beyond the limit) to its temporary directory, which is
    /// set here rather than left to DuckDB's default: <c>&lt;file&gt;.tmp</c> beside a mirror file, and for an in-memory
    /// mirror a directory of its own in the system's temporary folder (DuckDB's default, <c>.tmp</c> in the working
    /// directory, is shared by every process started there), removed when the database is disposed.
    /// </remarks>
    public static DuckDbDatabase OpenMirror(string? path, bool externalAccess = false, long? memoryLimit = null)
    {
        var config = new Dictionary<string, string>(SqliteSemantics, StringComparer.Ordinal);
        if (memoryLimit is { } limit)
        {
            config["memory_limit"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture) + "B";
        }

        var inMemory = string.IsNullOrEmpty(path) || path.StartsWith(InMemory, StringComparison.OrdinalIgnoreCase);
        if (!inMemory)
        {
            // Before the path is resolved for the temporary directory: a URL is refused as it stands.
            ThrowIfRemote(path!);
        }

        var privateTemp = inMemory ? Path.Combine(Path.GetTempPath(), "rhei-duckdb-" + Guid.NewGuid().ToString("N")) : null;
        config["temp_directory"] = privateTemp ?? TempDirectoryOf(path!);
        return OpenChecked(path, config, lockDown: true, externalAccess, privateTemp);
    }

    /// <summary>A mirror file's temporary directory: <c>&lt;file&gt;.tmp</c> beside it, as a full path.</summary>
    internal static string TempDirectoryOf(string path) => Path.GetFullPath(path) + ".tmp";

    private static DuckDbDatabase OpenChecked(string? path, IReadOnlyDictionary<string, string>? config, bool lockDown, bool externalAccess, string? privateTemp)
    {
        string target = string.IsNullOrEmpty(path) ? InMemory : path;
        if (lockDown)
        {
            ThrowIfRemote(target);
        }

        try
        {
            return OpenCore(target, config, lockDown, externalAccess, privateTemp);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            throw NativeLibraryMissing(ex);
        }
    }

    /// <summary>The error for a platform without a usable libduckdb: names the runtime and the ways out.</summary>
    internal static RheiException NativeLibraryMissing(Exception loadError)
        => new(
            $"The DuckDB native library (libduckdb) could not be loaded for runtime '{RuntimeInformation.RuntimeIdentifier}' ({RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}): {loadError.Message} "
            + "The DuckDB.NET.Bindings.Full package ships it for linux-x64, linux-arm64, osx, win-x64 and win-arm64. On another platform put a libduckdb built for it where the runtime looks for native libraries, or use Olap=None for SQLite only.",
            RheiException.DuckDbEngineName,
            0,
            loadError);

    /// <summary>Opens a new connection. Each session belongs to one thread at a time.</summary>
    public DuckDbSession Connect()
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        if (DuckDBNative.Startup.DuckDBConnect(_handle, out DuckDBNativeConnection connection) != DuckDBState.Success)
        {
            connection.Dispose();
            throw new DuckDbException("DuckDB could not open a connection to the database.");
        }

        return new DuckDbSession(connection, _changes);
    }

    public void Dispose()
    {
        _handle.Dispose();
        if (_privateTemp is not null && Directory.Exists(_privateTemp))
        {
            try
            {
                Directory.Delete(_privateTemp, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Spill files of a closed database only: the system's temporary folder is cleaned by the system.
            }
        }
    }

    private static DuckDbDatabase OpenCore(string target, IReadOnlyDictionary<string, string>? config, bool lockDown, bool externalAccess, string? privateTemp)
    {
        if (DuckDBNative.Configuration.DuckDBCreateConfig(out DuckDBConfig configHandle) != DuckDBState.Success)
        {
            configHandle.Dispose();
            throw new DuckDbException("DuckDB could not allocate a configuration object.");
        }

        DuckDBDatabase handle;
        using (configHandle)
        {
            if (lockDown)
            {
                // Before open: an attached path or the first query could otherwise fetch an extension.
                SetOption(configHandle, "autoinstall_known_extensions", "false");
                SetOption(configHandle, "autoload_known_extensions", "false");
            }

            if (config is not null)
            {
                foreach (KeyValuePair<string, string> option in config)
                {
                    SetOption(configHandle, option.Key, option.Value);
                }
            }

            DuckDBState state = DuckDBNative.Startup.DuckDBOpen(target, out handle, configHandle, out string? error);
            if (state != DuckDBState.Success)
            {
                handle.Dispose();
                throw new DuckDbException(!string.IsNullOrEmpty(error) ? error : $"DuckDB could not open the database '{target}'.");
            }
        }

        var database = new DuckDbDatabase(handle, privateTemp);
        if (!lockDown)
        {
            return database;
        }

        try
        {
            database.LockDown(target, externalAccess);
            return database;
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Applied right after open, through SQL: the list-valued options take no value through
    /// <c>duckdb_set_config</c>, they must precede <c>enable_external_access = false</c>, and that must precede
    /// the lock. Without external access DuckDB still opens, writes and spills to the paths allowed here, and
    /// only those.
    /// </summary>
    private void LockDown(string target, bool externalAccess)
    {
        using DuckDbSession session = Connect();
        var statements = new List<string>(4);
        if (!externalAccess)
        {
            if (target != InMemory)
            {
                string file = Path.GetFullPath(target);
                statements.Add("SET allowed_paths = " + ListLiteral(target, target + ".wal", file, file + ".wal"));
            }

            // DuckDB's own temporary directory (spilling, large sorts): "<file>.tmp" for a file, ".tmp" in memory.
            string? temp;
            using (DuckDbResultReader result = session.Query("SELECT current_setting('temp_directory')"))
            {
                temp = result.Read() && !result.IsDBNull(0) ? result.GetString(0) : null;
            }

            if (!string.IsNullOrEmpty(temp))
            {
                statements.Add("SET allowed_directories = " + ListLiteral(Path.GetFullPath(temp) + Path.DirectorySeparatorChar));
            }

            statements.Add("SET enable_external_access = false");
        }

        statements.Add("SET lock_configuration = true");
        foreach (string statement in statements)
        {
            session.Execute(statement);
        }
    }

    private static string ListLiteral(params string[] items)
        => "[" + string.Join(", ", items.Select(item => "'" + item.Replace("'", "''", StringComparison.Ordinal) + "'")) + "]";

    private static void SetOption(DuckDBConfig config, string name, string value)
    {
        if (DuckDBNative.Configuration.DuckDBSetConfig(config, name, value) != DuckDBState.Success)
        {
            throw new DuckDbException($"DuckDB rejected the value given for configuration option '{name}'. Check the option's documented values.");
        }
    }

    private static void ThrowIfRemote(string target)
    {
        // A URL or a MotherDuck name would make DuckDB fetch an extension and reach the network at open.
        bool remote = target.Contains("://", StringComparison.Ordinal)
            || target.StartsWith("md:", StringComparison.OrdinalIgnoreCase)
            || target.StartsWith("motherduck:", StringComparison.OrdinalIgnoreCase);
        if (remote)
        {
            // Only the part before any query string: a MotherDuck or presigned URL can carry a token there.
            int query = target.IndexOf('?', StringComparison.Ordinal);
            string shown = query < 0 ? target : target[..query] + "?…";
            throw new RheiException(
                $"Olap Path '{shown}' is not a local file. The DuckDB mirror is a derived copy kept beside the application: give a local file path, or leave Olap Path out for an in-memory mirror.",
                RheiException.DuckDbEngineName);
        }
    }
}
