using Rhei.Data.Olap;
using Rhei.Data.Tests.Sync;

namespace Rhei.Data.Tests.Robustness;

/// <summary>Issue 9, items 11, 12, 16, 18: damaged and locked mirror files, a failing disk, the registry path.</summary>
public sealed class MirrorFaultTest
{
    private static readonly CancellationToken s_ct = CancellationToken.None;

    public static TheoryData<string> Damage => new() { "empty", "truncated", "garbled" };

    [Theory]
    [MemberData(nameof(Damage))]
    public async Task Damaged_mirror_file_is_set_aside_and_rebuilt_from_sqlite(string damage)
    {
        await using var db = TestDatabase.Create();
        var directory = db.Directory;
        var mirror = Path.Combine(directory, "mirror.duckdb");
        var cs = $"Data Source={db.Path};Olap Path={mirror};Sync Interval=0";
        await using (var first = RheiDataSource.Create(cs))
        {
            using var connection = first.OpenConnection();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER); INSERT INTO t VALUES (1, 1), (2, 2);";
            command.ExecuteNonQuery();
            await connection.SyncAsync();
        }

        var bytes = File.ReadAllBytes(mirror);
        switch (damage)
        {
            case "empty":
                File.WriteAllBytes(mirror, []);
                break;
            case "truncated":
                File.WriteAllBytes(mirror, bytes[..(bytes.Length / 3)]);
                break;
            default:
                Random.Shared.NextBytes(bytes.AsSpan(0, Math.Min(bytes.Length, 16384)));
                File.WriteAllBytes(mirror, bytes);
                break;
        }

        await using var second = RheiDataSource.Create(cs);
        using var reopened = second.OpenConnection();
        using var read = reopened.CreateCommand();
        read.CommandText = "SELECT count(*), sum(v) FROM t";
        using var reader = read.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal((2L, 3L, RheiRoute.Olap), (reader.GetInt64(0), reader.GetInt64(1), reader.Route));
        Assert.Single(Directory.GetFiles(directory, "mirror.duckdb.damaged-*"), f => !f.EndsWith(".wal", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Mirror_locked_by_another_process_names_the_file_and_the_process_and_olap_none_still_opens()
    {
        await using var db = TestDatabase.Create();
        var mirror = Path.Combine(db.Directory, "mirror.duckdb");
        var cs = $"Data Source={db.Path};Olap Path={mirror};Sync Interval=0";
        await using (var first = RheiDataSource.Create(cs))
        {
            using var connection = first.OpenConnection();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER); INSERT INTO t VALUES (1, 1);";
            command.ExecuteNonQuery();
        }

        // Another process takes the POSIX record lock DuckDB takes (perl is in every Debian base system; the
        // struct flock layout packed here is Linux x64/arm64).
        const string Hold = "use Fcntl; sysopen(my $fh, $ARGV[0], O_RDWR) or die; my $l = pack('ssx4qqix4', F_WRLCK, 0, 0, 0, 0); fcntl($fh, F_SETLK, $l) or die; $| = 1; print qq(locked\n); sleep(60);";
        using var holder = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("perl") { ArgumentList = { "-e", Hold, mirror }, RedirectStandardOutput = true })!;
        try
        {
            Assert.Equal("locked", await holder.StandardOutput.ReadLineAsync());
            await using var locked = RheiDataSource.Create(cs);
            var error = Assert.Throws<RheiException>(() => locked.OpenConnection());
            Assert.Contains(mirror, error.Message, StringComparison.Ordinal);
            Assert.Contains($"PID {holder.Id}", error.Message, StringComparison.Ordinal);
            Assert.Contains("Olap=None", error.Message, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(db.Directory, "mirror.duckdb.damaged-*"));

            await using var sqliteOnly = RheiDataSource.Create($"Data Source={db.Path};Olap=None");
            using var connection = sqliteOnly.OpenConnection();
            Assert.Equal(((1L, 1L), RheiRoute.Oltp), Read(connection, "SELECT count(*), sum(v) FROM t", RheiRoute.Auto));
        }
        finally
        {
            holder.Kill();
            await holder.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Mirror_with_a_bad_block_answers_from_sqlite_then_rebuilds_itself()
    {
        await using var db = TestDatabase.Create();
        var mirror = Path.Combine(db.Directory, "mirror.duckdb");
        var cs = $"Data Source={db.Path};Olap Path={mirror};Sync Interval=0";
        const string Sql = "SELECT count(*), sum(length(s)) FROM t";
        await using (var first = RheiDataSource.Create(cs))
        {
            using var connection = first.OpenConnection();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER, s TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) INSERT INTO t SELECT i, i, hex(randomblob(20)) FROM n;";
            command.ExecuteNonQuery();
            await connection.SyncAsync();
        }

        // Damage a run of bytes in the middle of the file, where the column data lives: the file still opens.
        var bytes = File.ReadAllBytes(mirror);
        for (var i = bytes.Length / 2; i < bytes.Length / 2 + 8192; i++)
        {
            bytes[i] ^= 0x5A;
        }

        File.WriteAllBytes(mirror, bytes);

        await using var second = RheiDataSource.Create(cs);
        using var reopened = second.OpenConnection();
        Assert.Equal((300_000L, 12_000_000L), Read(reopened, Sql, RheiRoute.Auto).Values);

        var replication = reopened.Engine.Replication!;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (replication.MirrorFault is not null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Null(replication.MirrorFault);
        Assert.Contains("damaged", (await reopened.GetSyncStatusAsync()).LastRebuildReason, StringComparison.Ordinal);
        Assert.Equal((300_000L, 12_000_000L, RheiRoute.Olap), Read(reopened, Sql, RheiRoute.Olap) is var r ? (r.Values.Item1, r.Values.Item2, r.Route) : default);
    }

    private static ((long, long) Values, RheiRoute Route) Read(RheiConnection connection, string sql, RheiRoute route)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Route = route;
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return ((reader.GetInt64(0), reader.GetInt64(1)), reader.Route);
    }

    [Fact]
    public async Task Failing_mirror_disk_sends_reads_to_sqlite_reports_it_and_recovers_by_itself()
    {
        await using var db = TestDatabase.Create("Sync Interval=0");
        using var connection = db.Open();
        db.Execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
        db.Execute("INSERT INTO t VALUES (1, 1)");
        await connection.SyncAsync();
        var replication = connection.Engine.Replication!;
        var full = true;
        replication.ApplyFaultInjector = _ =>
        {
            if (Volatile.Read(ref full))
            {
                throw new DuckDbException("IO Error: Could not write file \"mirror.duckdb.wal\": No space left on device", 28);
            }
        };

        db.Execute("INSERT INTO t VALUES (2, 2)");
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*), sum(v) FROM t";
        using (var reader = command.ExecuteReader())
        {
            Assert.True(reader.Read());
            Assert.Equal((2L, 3L), (reader.GetInt64(0), reader.GetInt64(1)));
        }

        // PRAGMA rhei_sync fails with the public exception naming DuckDB, the original inside.
        using var sync = connection.CreateCommand();
        sync.CommandText = "PRAGMA rhei_sync";
        var error = Assert.Throws<RheiException>(() => sync.ExecuteReader().Dispose());
        Assert.Equal("DuckDB", error.Engine);
        Assert.IsType<DuckDbException>(error.InnerException);

        var status = await connection.GetSyncStatusAsync();
        Assert.Contains("No space left", status.MirrorUnavailableReason, StringComparison.Ordinal);
        Assert.Equal(RheiTableSyncState.Unavailable, status.Tables.Single().State);
        command.CommandText = "/*+ rhei:olap */ SELECT count(*), sum(v) FROM t";
        using (var reader = command.ExecuteReader())
        {
            Assert.True(reader.Read());
            Assert.Equal((2L, 3L, RheiRoute.Oltp), (reader.GetInt64(0), reader.GetInt64(1), reader.Route));
        }

        // Space returns: the retry loop (100 ms doubling, at most 5 s) applies everything, nothing lost.
        db.Execute("INSERT INTO t VALUES (3, 3)");
        Volatile.Write(ref full, false);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (replication.MirrorFault is not null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Null(replication.MirrorFault);
        command.CommandText = "SELECT count(*), sum(v) FROM t";
        using (var reader = command.ExecuteReader())
        {
            Assert.True(reader.Read());
            Assert.Equal((3L, 6L, RheiRoute.Olap), (reader.GetInt64(0), reader.GetInt64(1), reader.Route));
        }

        Assert.Null((await connection.GetSyncStatusAsync()).MirrorUnavailableReason);
    }

    [Fact]
    public async Task Registry_path_that_is_a_directory_or_a_json_array_or_in_a_missing_directory_names_the_key()
    {
        await using var db = TestDatabase.Create("Sync Interval=0");
        var cases = new[]
        {
            db.Directory,
            Path.Combine(db.Directory, "array.json"),
            Path.Combine(db.Directory, "missing", "registry.json"),
        };
        File.WriteAllText(cases[1], "[1, 2]");
        foreach (var path in cases)
        {
            await using var source = RheiDataSource.Create($"Data Source={db.Path};Sync Interval=0;Schema Registry Path={path}");
            var error = Assert.Throws<RheiException>(() => source.OpenConnection());
            Assert.Contains("Schema Registry Path", error.Message, StringComparison.Ordinal);
        }

        Assert.False(Directory.Exists(cases[2]));
        Assert.False(Directory.Exists(Path.GetDirectoryName(cases[2])));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"name\": \"t\"}")]
    [InlineData("{\"name\": \"t\", \"arrow_schema\": {\"fields\": 5}, \"primary_key\": []}")]
    public async Task Damaged_registry_row_is_rebuilt_from_the_sqlite_schema_and_never_blocks_a_restart(string damaged)
    {
        await using var h = await ReplicationHarness.StartAsync(replicate: ReplicationHarness.AllTables);
        h.Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
        await h.Engine.RegisterTableAsync("t", s_ct);
        h.Exec("INSERT INTO t VALUES (1, 1)");
        await h.CloseEngineAsync();
        h.Exec("UPDATE _rhei_schema_registry SET schema_json = $p1 WHERE tbl = 't'", damaged);

        await h.OpenEngineAsync(replicate: ReplicationHarness.AllTables);
        Assert.True(h.Engine.IsReplicated("t"));
        Assert.Equal(2, h.Engine.Registry.Get("t").Columns.Count);
        h.Exec("INSERT INTO t VALUES (2, 2)");
        await h.Engine.SyncAsync(s_ct);
        Assert.Equal(2, h.OlapCount("t"));
    }
}
