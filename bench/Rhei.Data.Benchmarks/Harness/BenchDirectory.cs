namespace Rhei.Data.Benchmarks.Harness;

/// <summary>A scratch folder for one scenario's database files, deleted afterwards.</summary>
internal sealed class BenchDirectory : IDisposable
{
    public BenchDirectory(string root, string name)
    {
        Path = System.IO.Path.Combine(root, $"rhei-bench-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        // Engines shared per connection string keep files open until their pools are cleared.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        RheiConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
