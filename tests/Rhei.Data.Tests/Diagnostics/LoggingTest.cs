using Microsoft.Extensions.Logging;

namespace Rhei.Data.Tests.Diagnostics;

/// <summary>The engine's log through source-generated messages: stable event ids and production levels.</summary>
public sealed class LoggingTest
{
    [Fact]
    public async Task Engine_start_and_load_are_Information_a_cycle_is_Trace_and_a_quarantine_is_a_Warning_with_their_event_ids()
    {
        using var directory = new TempDirectory();
        var logs = new CapturingLoggerProvider();
        await using var dataSource = new RheiDataSourceBuilder($"Data Source={Path.Combine(directory.Path, "log.db")};Sync Interval=0")
            .UseLoggerFactory(logs)
            .Build();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var command = new RheiCommand("CREATE TABLE q (id INTEGER PRIMARY KEY, n INTEGER)", connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        await using (var command = new RheiCommand("INSERT INTO q VALUES (1, 'abc')", connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        await connection.SyncAsync();

        var started = Assert.Single(logs.Entries, e => e.EventId.Id == 1000);
        Assert.Equal((LogLevel.Information, "EngineStarted", "Rhei.Data.Engine"), (started.Level, started.EventId.Name, started.Category));
        // An in-memory mirror is loaded at start: planned, so Information.
        var loading = Assert.Single(logs.Entries, e => e.EventId.Id == 4004);
        Assert.Equal((LogLevel.Information, "MirrorLoading"), (loading.Level, loading.EventId.Name));
        var cycle = Assert.Single(logs.Entries, e => e.EventId.Id == 2000 && e.Message.Contains("(explicit)", StringComparison.Ordinal));
        Assert.Equal((LogLevel.Trace, "SyncCycle"), (cycle.Level, cycle.EventId.Name));
        var quarantine = Assert.Single(logs.Entries, e => e.EventId.Id == 4000);
        Assert.Equal((LogLevel.Warning, "TableQuarantined", "Rhei.Data.Sync"), (quarantine.Level, quarantine.EventId.Name, quarantine.Category));
        Assert.Contains("Table 'q' is quarantined", quarantine.Message, StringComparison.Ordinal);
        // Every entry comes from a generated method: each has a named event id.
        Assert.All(logs.Entries, e => Assert.False(string.IsNullOrEmpty(e.EventId.Name), $"no event id: {e.Message}"));
    }

    /// <summary>A temporary folder removed on dispose.</summary>
    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("rhei-log-").FullName;

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
