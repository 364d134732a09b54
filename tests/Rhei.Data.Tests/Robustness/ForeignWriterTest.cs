using Microsoft.Data.Sqlite;

namespace Rhei.Data.Tests.Robustness;

/// <summary>Issue 9, items 10 and 16: a writer Rhei cannot see damages Rhei's own tables; reads stay right and errors stay public.</summary>
public sealed class ForeignWriterTest
{
    [Fact]
    public async Task Change_log_dropped_by_another_writer_is_recreated_by_the_next_strong_read()
    {
        await using var db = TestDatabase.Create();
        using var connection = db.Open();
        db.Execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
        db.Execute("INSERT INTO t VALUES (1, 1), (2, 2)");
        Assert.Equal((2L, 3L, RheiRoute.Olap), Read(connection));

        // A tool outside Rhei.Data (its own connection, as the sqlite3 shell would be).
        using (var outsider = new SqliteConnection($"Data Source={db.Path};Pooling=False"))
        {
            outsider.Open();
            using var drop = outsider.CreateCommand();
            drop.CommandText = "DROP TABLE _rhei_cdc_log";
            drop.ExecuteNonQuery();
        }

        // No raw SqliteException from the freshness check: the read repairs the log and answers.
        Assert.Equal((2L, 3L, RheiRoute.Olap), Read(connection));
        db.Execute("INSERT INTO t VALUES (3, 3)");
        Assert.Equal((3L, 6L, RheiRoute.Olap), Read(connection));
        Assert.NotNull((await connection.GetSyncStatusAsync()).LastRebuildReason);
    }

    private static (long, long, RheiRoute) Read(RheiConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*), sum(v) FROM t";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return (reader.GetInt64(0), reader.GetInt64(1), reader.Route);
    }
}
