namespace Rhei.Data.Tests.Bridge;

/// <summary>A Bridge Path that cannot serve gives a RheiException naming it, and the SQLite change log keeps every event.</summary>
public sealed class BridgeDirectoryFailureTest
{
    [Fact]
    public async Task Missing_bridge_directory_is_a_clear_error_and_changes_nothing()
    {
        var (db, logged) = await DatabaseWithPendingEventsAsync();
        await using var _ = db;
        var missing = Path.Combine(db.Directory, "no-such-bridge");
        var ex = await OpenFailsAsync(db, missing);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing));
        AssertLogUntouched(db, logged);
    }

    [Fact]
    public async Task Read_only_bridge_directory_is_a_clear_error_and_changes_nothing()
    {
        var (db, logged) = await DatabaseWithPendingEventsAsync();
        await using var _ = db;
        var readOnly = Path.Combine(db.Directory, "read-only-bridge");
        Directory.CreateDirectory(readOnly);
        MakeReadOnly(readOnly, true);
        try
        {
            Assert.True(Record.Exception(() => File.WriteAllText(Path.Combine(readOnly, "probe"), "x")) is IOException or UnauthorizedAccessException, "the directory is still writable");
            var ex = await OpenFailsAsync(db, readOnly);
            Assert.Empty(Directory.GetFileSystemEntries(readOnly));
            Assert.Contains("Could not open the durable change log", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            MakeReadOnly(readOnly, false);
        }

        AssertLogUntouched(db, logged);
    }

    [Fact]
    public async Task Bridge_directory_held_by_another_engine_is_a_clear_error_naming_it()
    {
        var (db, logged) = await DatabaseWithPendingEventsAsync();
        await using var _ = db;
        var bridge = Path.Combine(db.Directory, "bridge");
        Directory.CreateDirectory(bridge);
        await using var holder = RheiDataSource.Create($"{db.ConnectionString};Bridge Path={bridge}");
        await using (var connection = await holder.OpenConnectionAsync())
        {
            await using var second = RheiDataSource.Create($"{db.ConnectionString};Bridge Path={bridge};Olap Path={Path.Combine(db.Directory, "other.duckdb")}");
            var ex = await Assert.ThrowsAsync<RheiException>(async () => await second.OpenConnectionAsync());
            Assert.Contains(bridge, ex.Message, StringComparison.Ordinal);
            Assert.Contains("holds this bridge", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Bridge_directory_held_by_another_process_is_a_clear_error_naming_it()
    {
        var (db, logged) = await DatabaseWithPendingEventsAsync();
        await using var _ = db;
        var bridge = Path.Combine(db.Directory, "bridge");
        Directory.CreateDirectory(bridge);
        await using var holder = RheiDataSource.Create($"{db.ConnectionString};Bridge Path={bridge};Sync Interval=0");
        await using var connection = await holder.OpenConnectionAsync();
        var heldEvents = Count(db, "SELECT count(*) FROM _rhei_cdc_log");

        using var child = ChildProcessEntry.Start("open", $"{db.ConnectionString};Bridge Path={bridge};Olap Path={Path.Combine(db.Directory, "other.duckdb")}");
        var output = await child.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await child.WaitForExitAsync();

        Assert.Equal(3, child.ExitCode);
        Assert.StartsWith(nameof(RheiException) + ": ", output, StringComparison.Ordinal);
        Assert.Contains($"Bridge Path '{bridge}'", output, StringComparison.Ordinal);
        Assert.Contains("holds this bridge", output, StringComparison.Ordinal);
        // The refused process changed nothing: the holder's view of SQLite's log is as it was.
        Assert.Equal(heldEvents, Count(db, "SELECT count(*) FROM _rhei_cdc_log"));
    }

    [Fact]
    public async Task Corrupt_bridge_directory_is_a_clear_error_and_the_sqlite_log_keeps_what_was_not_bridged()
    {
        var (db, logged) = await DatabaseWithPendingEventsAsync();
        await using var _ = db;
        var bridge = Path.Combine(db.Directory, "bridge");
        Directory.CreateDirectory(bridge);
        await using (var first = RheiDataSource.Create($"{db.ConnectionString};Bridge Path={bridge}"))
        await using (var connection = await first.OpenConnectionAsync())
        {
            await connection.SyncAsync();
        }

        db.Execute("INSERT INTO t VALUES (10, 'after'), (11, 'after')");
        var pending = Count(db, "SELECT count(*) FROM _rhei_cdc_log WHERE seq > (SELECT max(seq) - 2 FROM _rhei_cdc_log)");
        Assert.Equal(2, pending);
        pending = Count(db, "SELECT count(*) FROM _rhei_cdc_log");
        foreach (var manifest in Directory.GetFiles(bridge, "MANIFEST-*"))
        {
            File.WriteAllBytes(manifest, new byte[4096]);
        }

        var ex = await OpenFailsAsync(db, bridge);
        Assert.Contains("Corruption", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(pending, Count(db, "SELECT count(*) FROM _rhei_cdc_log"));
    }

    private static async Task<(TestDatabase Db, long Logged)> DatabaseWithPendingEventsAsync()
    {
        var db = TestDatabase.Create();
        db.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
        db.Execute("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
        await using (var setup = RheiDataSource.Create(db.ConnectionString))
        await using (var connection = await setup.OpenConnectionAsync())
        {
            await connection.GetSyncStatusAsync();
        }

        // Registered and loaded at the start; these changes wait in the log.
        db.Execute("UPDATE t SET name = 'x'");
        var logged = Count(db, "SELECT count(*) FROM _rhei_cdc_log WHERE op = 'U'");
        Assert.Equal(3, logged);
        return (db, Count(db, "SELECT count(*) FROM _rhei_cdc_log"));
    }

    private static async Task<RheiException> OpenFailsAsync(TestDatabase db, string bridge)
    {
        await using var dataSource = RheiDataSource.Create($"{db.ConnectionString};Bridge Path={bridge}");
        var ex = await Assert.ThrowsAsync<RheiException>(async () => await dataSource.OpenConnectionAsync());
        Assert.Contains($"Bridge Path '{bridge}'", ex.Message, StringComparison.Ordinal);
        return ex;
    }

    private static void AssertLogUntouched(TestDatabase db, long logged)
    {
        Assert.Equal(logged, Count(db, "SELECT count(*) FROM _rhei_cdc_log"));
        Assert.Equal(3, Count(db, "SELECT count(*) FROM _rhei_cdc_log WHERE op = 'U'"));
    }

    private static long Count(TestDatabase db, string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db.Path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Read-only even for root: permissions where they bind, the immutable attribute where they do not.</summary>
    private static void MakeReadOnly(string directory, bool readOnly)
    {
        if (OperatingSystem.IsWindows())
        {
            new DirectoryInfo(directory).Attributes = readOnly ? FileAttributes.ReadOnly | FileAttributes.Directory : FileAttributes.Directory;
            return;
        }

        if (!readOnly)
        {
            Run("chattr", "-i", directory, tolerateFailure: true);
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            return;
        }

        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        if (Environment.UserName == "root")
        {
            Run("chattr", "+i", directory, tolerateFailure: false);
        }
    }

    private static void Run(string program, string argument, string path, bool tolerateFailure)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(program) { ArgumentList = { argument, path }, RedirectStandardError = true })!;
        process.WaitForExit();
        Assert.True(tolerateFailure || process.ExitCode == 0, $"{program} {argument} failed: {process.StandardError.ReadToEnd()}");
    }
}
