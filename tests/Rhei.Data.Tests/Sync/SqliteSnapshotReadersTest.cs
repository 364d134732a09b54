using Microsoft.Data.Sqlite;
using Rhei.Data.Oltp;

namespace Rhei.Data.Tests.Sync;

/// <summary>
/// The parallel load's read connections see exactly the holder's rows, also where SQLite takes no snapshot (a WAL
/// with nothing written since it was created, as when the holder is the database's first connection), and are
/// refused when a commit lands before they can be sure of it.
/// </summary>
public sealed class SqliteSnapshotReadersTest : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "rhei-snap-" + Guid.NewGuid().ToString("N"));
    private readonly string _file;

    public SqliteSnapshotReadersTest()
    {
        Directory.CreateDirectory(_directory);
        _file = Path.Combine(_directory, "snap.db");
        using var setup = Open();
        Exec(setup, "PRAGMA journal_mode = WAL; CREATE TABLE p (id INTEGER PRIMARY KEY, v INTEGER)");
        Exec(setup, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) INSERT INTO p SELECT i, i FROM n");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Readers_keep_the_holders_rows_while_a_writer_commits(bool emptyWal)
    {
        // The setup's connections are closed, so the WAL is gone; the first connection creates it anew, empty.
        var writer = emptyWal ? null : Open();
        if (writer is not null)
        {
            Exec(writer, "UPDATE p SET v = v WHERE id = 1");
        }

        using var holder = Open();
        using var transaction = holder.BeginTransaction(deferred: true);
        Assert.Equal(1000L, Count(holder, transaction));

        using var readers = SqliteSnapshotReaders.TryOpen(holder, 2);
        writer ??= Open();
        Assert.NotNull(readers);
        Exec(writer, "DELETE FROM p WHERE id > 500");
        Exec(writer, "INSERT INTO p VALUES (5000, 1)");

        foreach (var connection in readers.Connections)
        {
            using var reader = new SqliteRowReader(connection, "SELECT count(*), sum(v) FROM p", mutexFree: true);
            Assert.True(reader.Read());
            Assert.Equal(1000L, reader.GetInt64(0));
            Assert.Equal(500500L, reader.GetInt64(1));
        }

        Assert.Equal(501L, Count(writer, null));
        writer.Dispose();
    }

    [Fact]
    public void Readers_are_refused_when_a_commit_lands_after_an_empty_wal_holder_began()
    {
        using var holder = Open();
        using var transaction = holder.BeginTransaction(deferred: true);
        Assert.Equal(1000L, Count(holder, transaction));

        using var writer = Open();
        Exec(writer, "DELETE FROM p WHERE id > 500");

        // Without a snapshot of the WAL nothing could put them on the holder's rows: the caller reads alone.
        Assert.Null(SqliteSnapshotReaders.TryOpen(holder, 2));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _file, Pooling = false, DefaultTimeout = 30 }.ToString());
        connection.Open();
        return connection;
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Count(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT count(*) FROM p";
        return (long)command.ExecuteScalar()!;
    }
}
