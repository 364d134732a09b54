using Microsoft.Data.Sqlite;

namespace Rhei.Data.Tests.Sidecar;

/// <summary>
/// The start-time load of a large table of an external SQLite file through the local initial sync's parallel loader
/// (several read connections on one snapshot), heard through <see cref="RheiDataSourceBuilder.UseSidecarCopyProgress"/>.
/// With a WAL file another connection commits while the load runs (from inside the load's own progress report): the
/// mirror right after the start holds exactly the snapshot's rows, and the watermark is the one that snapshot saw, so
/// the next poll brings exactly the rows written meanwhile, none missed (a later watermark would skip them) and none
/// twice. A rollback-journal file cannot be written while it is read; its load must still run on several connections.
/// </summary>
public sealed class SqliteSourceParallelLoadTest
{
    // Over the loader's 200,000-rowid threshold for reading in parallel.
    private const int Rows = 250_000;

    private const string Digest = "SELECT count(*) || ':' || count(DISTINCT id) || ':' || sum(id) || ':' || sum(v) || ':' || sum(length(note)) FROM orders";

    [Fact]
    public async Task Parallel_load_of_a_WAL_file_written_during_the_load_takes_the_watermark_of_its_snapshot()
    {
        using var source = new SidecarSource(schema: null);
        Create(source, "WAL");
        var before = source.SourceRows(Digest).Single();
        var progress = new CountingProgress(source.SourcePath, () =>
        {
            // Rows at every rowid (so in every reader's blocks) move past every watermark the snapshot holds.
            source.Execute("UPDATE orders SET v = v + 1000000, updated_at = updated_at + 10000000 WHERE id % 97 = 0");
            source.Execute($"WITH RECURSIVE n(i) AS (SELECT {Rows + 1} UNION ALL SELECT i + 1 FROM n WHERE i < {Rows + 3000}) INSERT INTO orders SELECT i, i, 'new', 20000000 + i FROM n");
        });

        await using var dataSource = new RheiDataSourceBuilder(source.ConnectionString("Freshness=Eventual")).UseSidecarCopyProgress(progress).Build();
        await using var connection = await dataSource.OpenConnectionAsync();

        Assert.True(progress.Heard, "the load reported no progress while it ran");
        Assert.True(progress.OpenDescriptors >= 2, $"the load read the file on {progress.OpenDescriptors} connection(s)");
        Assert.Equal(Rows, progress.Last);
        Assert.Equal(before, await MirrorAsync(connection, Digest));

        await connection.SyncAsync();
        var after = source.SourceRows(Digest).Single();
        Assert.NotEqual(before, after);
        Assert.Equal(after, await MirrorAsync(connection, Digest));
    }

    [Fact]
    public async Task Parallel_load_of_a_rollback_journal_file_reads_on_several_connections_and_copies_every_row_once()
    {
        using var source = new SidecarSource(schema: null);
        Create(source, "DELETE");
        var progress = new CountingProgress(source.SourcePath, () => { });
        await using var dataSource = new RheiDataSourceBuilder(source.ConnectionString("Freshness=Eventual")).UseSidecarCopyProgress(progress).Build();
        await using var connection = await dataSource.OpenConnectionAsync();

        Assert.True(progress.OpenDescriptors >= 2, $"the load read the file on {progress.OpenDescriptors} connection(s)");
        Assert.Equal(Rows, progress.Last);
        Assert.Equal(source.SourceRows(Digest).Single(), await MirrorAsync(connection, Digest));

        // The file is writable again once the load is done, and the poll continues from the load's watermark.
        source.Execute("UPDATE orders SET v = -v, updated_at = updated_at + 10000000 WHERE id % 1000 = 0");
        await connection.SyncAsync();
        Assert.Equal(source.SourceRows(Digest).Single(), await MirrorAsync(connection, Digest));
    }

    /// <summary>Descriptors of <paramref name="file"/> opened O_RDONLY (access mode 0 in /proc/self/fdinfo's octal flags).</summary>
    private static int ReadOnlyDescriptors(string file)
        => new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos()
            .Where(fd => fd.LinkTarget == file)
            .Count(fd => File.ReadLines($"/proc/self/fdinfo/{fd.Name}").FirstOrDefault(l => l.StartsWith("flags:", StringComparison.Ordinal)) is { } flags
                && (Convert.ToInt32(flags["flags:".Length..].Trim(), 8) & 3) == 0);

    private static void Create(SidecarSource source, string journalMode)
    {
        source.Execute($"PRAGMA journal_mode={journalMode}");
        source.Execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, v INTEGER NOT NULL, note TEXT NOT NULL, updated_at INTEGER NOT NULL); CREATE INDEX orders_updated ON orders (updated_at)");
        source.Execute($"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Rows}) INSERT INTO orders SELECT i, i, 'order ' || i, 1000 + i FROM n");
    }

    private static async Task<string> MirrorAsync(RheiConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        Assert.Equal(RheiRoute.Olap, reader.Route);
        Assert.True(await reader.ReadAsync());
        return Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    /// <summary>
    /// Hears the load's progress on the loading thread; at the first report it counts this process's read-only
    /// descriptors of the source file (the load's connection and its snapshot readers; the SQLite fallback's
    /// attachments of the file on local connections open it read-write) and runs <paramref name="write"/>.
    /// </summary>
    private sealed class CountingProgress(string path, Action write) : IProgress<long>
    {
        public bool Heard { get; private set; }

        public int OpenDescriptors { get; private set; }

        public long Last { get; private set; }

        public void Report(long value)
        {
            Last = value;
            if (Heard)
            {
                return;
            }

            Heard = true;
            OpenDescriptors = ReadOnlyDescriptors(Path.GetFullPath(path));
            write();
        }
    }
}
