using Rhei.Data.Olap.Native;

namespace Rhei.Data.Tests.Olap;

public class DuckDbLibraryTest
{
    [Fact]
    public void Load_throws_clear_message_when_library_missing()
    {
        string missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "libduckdb.so");

        DllNotFoundException exception = Assert.Throws<DllNotFoundException>(() => DuckDbLibrary.Load([missing], probeDefault: false));

        Assert.StartsWith("libduckdb was not found.", exception.Message);
        Assert.Contains(missing, exception.Message);
        Assert.Contains("npm", exception.Message);
        Assert.Contains("RHEI_DUCKDB_LIBRARY", exception.Message);
    }

    [Fact]
    public void GetCandidatePaths_puts_override_first_then_runtimes_folder()
    {
        IReadOnlyList<string> candidates = DuckDbLibrary.GetCandidatePaths("/custom/libduckdb.so");

        Assert.Equal("/custom/libduckdb.so", candidates[0]);
        Assert.Contains(Path.Combine("runtimes", "linux-x64", "native", "libduckdb.so"), candidates[1]);
        Assert.StartsWith(AppContext.BaseDirectory, candidates[1]);
    }

    [Fact]
    public void EnsureLoaded_finds_library_copied_by_build()
    {
        DuckDbLibrary.EnsureLoaded();

        Assert.Equal("v1.5.6", NativeMethods.Startup.LibraryVersion());
    }
}
