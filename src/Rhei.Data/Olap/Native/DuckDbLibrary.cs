using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Rhei.Data.Olap.Native;

/// <summary>
/// Finds and loads libduckdb for this assembly's <c>[LibraryImport("duckdb")]</c> declarations.
/// Order: the file named by <c>RHEI_DUCKDB_LIBRARY</c>; <c>runtimes/&lt;rid&gt;/native/</c> under the
/// application's base directory; the same under the directory of this assembly; default probing.
/// </summary>
/// <remarks>
/// The build copies the library to <c>runtimes/&lt;rid&gt;/native/</c> as a plain content file, which the
/// runtime's own probing does not search (that needs a deps.json RID asset), hence the resolver.
/// </remarks>
internal static class DuckDbLibrary
{
    internal const string OverrideVariable = "RHEI_DUCKDB_LIBRARY";

    private static readonly object s_lock = new();
    private static nint s_handle;
    private static int s_resolverInstalled;

    /// <summary>
    /// Installs the import resolver as soon as the assembly loads so that the first native call, whatever
    /// it is, finds the library. It does no native work and cannot throw for a missing library.
    /// </summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "Registering a DllImportResolver for this assembly is the documented use; it must precede the first P/Invoke.")]
    internal static void InstallResolver()
    {
        if (Interlocked.Exchange(ref s_resolverInstalled, 1) == 0)
        {
            NativeLibrary.SetDllImportResolver(typeof(DuckDbLibrary).Assembly, Resolve);
        }
    }

    /// <summary>Loads libduckdb now, or throws a <see cref="DllNotFoundException"/> saying where it looked.</summary>
    public static void EnsureLoaded()
    {
        if (Volatile.Read(ref s_handle) != 0)
        {
            return;
        }

        lock (s_lock)
        {
            if (s_handle == 0)
            {
                s_handle = Load(GetCandidatePaths(Environment.GetEnvironmentVariable(OverrideVariable)), probeDefault: true);
            }
        }
    }

    /// <summary>The files tried before default probing, in order, given the override variable's value.</summary>
    internal static IReadOnlyList<string> GetCandidatePaths(string? overridePath)
    {
        var candidates = new List<string>(3);
        if (!string.IsNullOrWhiteSpace(overridePath))
        {
            candidates.Add(overridePath);
        }

        string relative = Path.Combine("runtimes", GetRuntimeIdentifier(), "native", GetFileName());
        candidates.Add(Path.Combine(AppContext.BaseDirectory, relative));

        string? assemblyDirectory = Path.GetDirectoryName(typeof(DuckDbLibrary).Assembly.Location);
        if (!string.IsNullOrEmpty(assemblyDirectory))
        {
            string besideAssembly = Path.Combine(assemblyDirectory, relative);
            if (!candidates.Contains(besideAssembly))
            {
                candidates.Add(besideAssembly);
            }
        }

        return candidates;
    }

    /// <summary>
    /// Loads the first candidate that exists and loads; then, if <paramref name="probeDefault"/>, tries the
    /// platform's default search for "libduckdb". Throws the explanatory <see cref="DllNotFoundException"/>.
    /// Tests call it with an explicit missing path and no default probing.
    /// </summary>
    internal static nint Load(IReadOnlyList<string> candidates, bool probeDefault)
    {
        var looked = new List<string>(candidates.Count + 1);
        foreach (string candidate in candidates)
        {
            if (!File.Exists(candidate))
            {
                looked.Add($"{candidate} (no such file)");
                continue;
            }

            try
            {
                return NativeLibrary.Load(candidate);
            }
            catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
            {
                looked.Add($"{candidate} (could not be loaded: {ex.Message})");
            }
        }

        if (probeDefault)
        {
            if (NativeLibrary.TryLoad("libduckdb", out nint handle) || NativeLibrary.TryLoad(NativeMethods.LibraryName, out handle))
            {
                return handle;
            }

            looked.Add("the platform's default library search for 'libduckdb'");
        }

        throw new DllNotFoundException(
            "libduckdb was not found. Looked in: " + string.Join("; ", looked) + ". "
            + "Rebuild the project (the build fetches libduckdb with npm into the .cache folder and copies it to "
            + $"runtimes/<rid>/native/), or set the {OverrideVariable} environment variable to the full path of the library file.");
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != NativeMethods.LibraryName)
        {
            return 0;
        }

        EnsureLoaded();
        return s_handle;
    }

    private static string GetRuntimeIdentifier()
    {
        string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        return os + "-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
    }

    private static string GetFileName()
        => OperatingSystem.IsWindows() ? "duckdb.dll" : OperatingSystem.IsMacOS() ? "libduckdb.dylib" : "libduckdb.so";
}
