using System.Globalization;
using Rhei.Data.Olap;
using Rhei.Data.Oltp;
using static Rhei.Data.Tests.Sync.ReplicationHarness;

namespace Rhei.Data.Tests.Sync;

/// <summary>
/// The initial load of a large table on several SQLite read connections (rowid blocks, one WAL snapshot), while a
/// writer keeps committing: the mirror must hold the rows of one moment, every key once, and after the next sync
/// exactly SQLite's rows.
/// </summary>
public sealed class ParallelInitialSyncTest
{
    // Origin i starts at rowid 2i: a rowid span of 600,000, well above the parallel threshold.
    private const int Rows = 300_000;

    [Fact]
    public async Task Parallel_initial_sync_while_a_writer_commits_holds_one_snapshot_and_ends_equal_to_sqlite()
    {
        await using var h = await StartAsync();
        await LoadWhileWritingAsync(h);
    }

    [Fact]
    public async Task Parallel_initial_sync_reports_the_first_misfit_in_rowid_order_and_quarantines()
    {
        await using var h = await StartAsync();
        h.Exec("CREATE TABLE q (id INTEGER PRIMARY KEY, n INTEGER)");
        h.Exec($"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Rows}) INSERT INTO q SELECT i, i FROM n");
        h.Exec("UPDATE q SET n = 'late' WHERE id = 290000");
        h.Exec("UPDATE q SET n = 'early' WHERE id = 150000");
        await h.Engine.RegisterTableAsync(new RheiTableSchema("q", [new RheiColumn("id", "INTEGER", false), new RheiColumn("n", "INTEGER")], ["id"]), CancellationToken.None);

        Assert.Equal(0, await h.Engine.InitialSyncAsync("q", null, CancellationToken.None));

        Assert.True(h.Engine.IsQuarantined("q"));
        var status = (await h.Engine.GetStatusAsync(CancellationToken.None)).Tables.Single(t => t.Table == "q");
        Assert.Equal("(150000)", status.OffendingKey);

        // Repaired, the next load lifts the quarantine and holds every row.
        h.Exec("UPDATE q SET n = id WHERE id IN (150000, 290000)");
        Assert.Equal(Rows, await h.Engine.InitialSyncAsync("q", null, CancellationToken.None));
        Assert.False(h.Engine.IsQuarantined("q"));
        Assert.Equal(h.SqliteScalar("SELECT sum(n) FROM q"), Convert.ToInt64(h.Olap("SELECT sum(n) FROM q")[0][0], CultureInfo.InvariantCulture));
    }

    private static async Task LoadWhileWritingAsync(ReplicationHarness h)
    {
        h.Exec("CREATE TABLE p (id INTEGER PRIMARY KEY, origin INTEGER NOT NULL, gen INTEGER NOT NULL, note TEXT)");
        h.Exec($"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Rows}) INSERT INTO p SELECT 2 * i, i, 0, 'row number ' || i FROM n");
        await h.Engine.RegisterTableAsync(
            new RheiTableSchema("p", [new RheiColumn("id", "INTEGER", false), new RheiColumn("origin", "INTEGER", false), new RheiColumn("gen", "INTEGER", false), new RheiColumn("note", "TEXT")], ["id"]),
            CancellationToken.None);
        AssertLoadIsParallel(h);

        await using var writer = new MovingWriter(h);
        writer.Start();

        var pause = new WaitForCommits(writer, commits: 20);
        Assert.Equal(Rows, await h.Engine.InitialSyncAsync("p", pause, CancellationToken.None));
        Assert.True(pause.Reports > 0);

        // Before any change is applied: the rows of one moment, with the first m moves made and no later one.
        // A block read after a move would miss the moved row (its old rowid is high, its new one low) or hold it twice.
        Assert.Equal(Rows, h.OlapCount("p"));
        var moved = Convert.ToInt64(h.Olap("SELECT count(*) FROM p WHERE id % 2 = 1")[0][0], CultureInfo.InvariantCulture);
        var consistent = Convert.ToInt64(
            h.Olap($"SELECT count(*) FROM p WHERE (origin > {Rows} - {moved} AND id = 2 * ({Rows} - origin + 1) - 1 AND gen = 1) OR (origin <= {Rows} - {moved} AND id = 2 * origin AND gen = 0)")[0][0],
            CultureInfo.InvariantCulture);
        Assert.Equal(Rows, consistent);
        Assert.Equal(Rows, Convert.ToInt64(h.Olap("SELECT count(DISTINCT origin) FROM p")[0][0], CultureInfo.InvariantCulture));

        await writer.StopAsync();
        Assert.True(writer.Commits > moved, "the writer committed after the load's snapshot");
        await h.Engine.SyncAsync(CancellationToken.None);

        Assert.Equal(Rows, h.OlapCount("p"));
        Assert.Empty(h.Olap("SELECT id FROM p GROUP BY id HAVING count(*) > 1"));
        foreach (var aggregate in new[] { "sum(id)", "sum(id * gen)", "sum(origin * id)", "sum(length(note))" })
        {
            var olap = aggregate.Replace("length(", "strlen(", StringComparison.Ordinal);
            Assert.Equal(h.SqliteScalar($"SELECT {aggregate} FROM p"), Convert.ToInt64(h.Olap($"SELECT {olap} FROM p")[0][0], CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The preconditions of the parallel path hold for this table and file, so the test exercises it.</summary>
    private static void AssertLoadIsParallel(ReplicationHarness h)
    {
        using var connection = h.OpenSqlite();
        using var transaction = connection.BeginTransaction(deferred: true);
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT count(*) FROM p";
            command.ExecuteScalar();
        }

        var schema = new Rhei.Data.Schema.TableSchema(new RheiTableSchema("p", [new RheiColumn("id", "INTEGER", false), new RheiColumn("note", "TEXT")], ["id"]));
        var blocks = RowidBlocks.TryPlan(connection, transaction, schema);
        Assert.NotNull(blocks);
        Assert.True(blocks.Count > 1);
        using var readers = SqliteSnapshotReaders.TryOpen(connection, MirrorParallelLoader.ReaderCount);
        Assert.NotNull(readers);
    }

    /// <summary>Moves rows, one commit each, from the top of the rowid range to its bottom (odd rowids), keeping their origin.</summary>
    private sealed class MovingWriter(ReplicationHarness h) : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task? _running;
        private int _commits;

        public int Commits => Volatile.Read(ref _commits);

        public void Start() => _running ??= Task.Run(Run);

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            if (_running is not null)
            {
                await _running;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_stop.IsCancellationRequested)
            {
                await StopAsync();
            }

            _stop.Dispose();
        }

        private void Run()
        {
            using var connection = h.OpenSqlite();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE p SET id = $to, gen = gen + 1 WHERE id = $from";
            var from = command.Parameters.Add("$from", Microsoft.Data.Sqlite.SqliteType.Integer);
            var to = command.Parameters.Add("$to", Microsoft.Data.Sqlite.SqliteType.Integer);
            for (var k = 1; k < Rows / 2 && !_stop.IsCancellationRequested; k++)
            {
                var origin = Rows - k + 1;
                from.Value = 2L * origin;
                to.Value = (2L * k) - 1;
                Assert.Equal(1, command.ExecuteNonQuery());
                Interlocked.Increment(ref _commits);
            }
        }
    }

    /// <summary>Progress of the load: each report (the first starts the writer) holds the appending thread until the writer has committed more.</summary>
    private sealed class WaitForCommits(MovingWriter writer, int commits) : IProgress<long>
    {
        public int Reports { get; private set; }

        public void Report(long value)
        {
            Reports++;
            var target = writer.Commits + commits;
            writer.Start();
            // A guard against a stuck writer, not a timing assertion.
            Assert.True(SpinWait.SpinUntil(() => writer.Commits >= target, TimeSpan.FromSeconds(60)), "the writer kept committing");
        }
    }
}
