namespace Rhei.Data.Tests;

/// <summary>A SQLite file of its own in a temporary folder, with a data source over it; removed on dispose.</summary>
internal sealed class TestDatabase : IAsyncDisposable, IDisposable
{
    private TestDatabase(string directory, string connectionString)
    {
        Directory = directory;
        ConnectionString = connectionString;
        DataSource = RheiDataSource.Create(connectionString);
    }

    public string Directory { get; }

    public string Path => System.IO.Path.Combine(Directory, "test.db");

    public string ConnectionString { get; }

    public RheiDataSource DataSource { get; }

    /// <summary>Creates a database; <paramref name="extra"/> adds connection-string keys. The sync loop is off unless asked for.</summary>
    public static TestDatabase Create(string extra = "Sync Interval=0")
    {
        var directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "rhei-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var connectionString = $"Data Source={System.IO.Path.Combine(directory, "test.db")};{extra}";
        return new TestDatabase(directory, connectionString);
    }

    public RheiConnection Open()
    {
        var connection = DataSource.OpenConnection();
        return connection;
    }

    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TryDelete();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private void TryDelete()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
