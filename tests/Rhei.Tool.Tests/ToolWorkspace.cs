namespace Rhei.Tool.Tests;

/// <summary>A temporary folder with a SQLite file the tool works on; removed after the test.</summary>
internal sealed class ToolWorkspace : IDisposable
{
    public ToolWorkspace()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("rhei-tool-").FullName;
        Connection = $"Data Source={Path.Combine(Directory, "app.db")};Olap=DuckDb;Replicate=All";
    }

    public string Directory { get; }

    public string Connection { get; }

    public Task<ToolRun> RunAsync(params string[] args) => ToolProcess.RunAsync(Directory, ["--connection", Connection, .. args]);

    public Task<ToolRun> RunWithInputAsync(string input, params string[] args) => ToolProcess.RunAsync(Directory, ["--connection", Connection, .. args], input);

    /// <summary>Creates and fills the sales table through the tool itself.</summary>
    public async Task SeedAsync()
    {
        var run = await RunAsync("exec", "CREATE TABLE sales(id INTEGER PRIMARY KEY, region TEXT NOT NULL, amount REAL NOT NULL); INSERT INTO sales VALUES (1,'north',2.5),(2,'south',3.5),(3,'north',1.0),(4,'east',4.0)");
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
