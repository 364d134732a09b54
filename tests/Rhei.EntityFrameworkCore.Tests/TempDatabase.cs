using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Rhei.Data;
using Rhei.EntityFrameworkCore.Tests.Model;

namespace Rhei.EntityFrameworkCore.Tests;

/// <summary>A database file in a temp directory of its own, removed (engine shut down first) on dispose.</summary>
public sealed class TempDatabase : IDisposable
{
    public TempDatabase(string extraKeys = "")
    {
        Directory = Path.Combine(Path.GetTempPath(), "rhei-ef-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        FilePath = Path.Combine(Directory, "x.db");
        // Sync Interval=0: no background loop; Strong freshness syncs on demand before an analytical read.
        ConnectionString = $"Data Source={FilePath};Sync Interval=0" + (extraKeys.Length == 0 ? string.Empty : ";" + extraKeys);
    }

    public string Directory { get; }

    public string FilePath { get; }

    public string ConnectionString { get; }

    public RouteRecorder Routes { get; } = new();

    public CommerceContext CreateContext(Action<DbContextOptionsBuilder<CommerceContext>>? configure = null)
    {
        var builder = new DbContextOptionsBuilder<CommerceContext>().UseRhei(ConnectionString).AddInterceptors(Routes);
        configure?.Invoke(builder);
        return new CommerceContext(builder.Options);
    }

    /// <summary>A context on the plain EF Core SQLite provider over the same file, for comparing answers.</summary>
    public CommerceContext CreateSqliteContext()
        => new(new DbContextOptionsBuilder<CommerceContext>().UseSqlite($"Data Source={FilePath}").Options);

    public void Dispose()
    {
        using (var connection = new RheiConnection(ConnectionString))
        {
            RheiConnection.ClearPool(connection);
        }

        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a temp directory behind; the test's verdict stands.
        }
    }
}
