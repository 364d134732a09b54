namespace Rhei.Data.Tests.Sidecar;

/// <summary>Issue 13, item 4: reads of followed tables, the SQLite fallback on the source file, and Local Oltp.</summary>
public sealed class SidecarQueryTest
{
    [Fact]
    public async Task Read_sent_to_sqlite_is_answered_by_the_source_file_and_leaves_it_unwritten()
    {
        using var source = new SidecarSource();
        source.Execute("INSERT INTO users VALUES (1, 'a', 1, 1), (2, 'b', 2, 2)");
        var before = File.ReadAllBytes(source.SourcePath);
        await using var dataSource = RheiDataSource.Create(source.ConnectionString());
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal(("1|a; 2|b", RheiRoute.Oltp), SidecarSource.Query(connection, "SELECT id, name FROM users ORDER BY id", RheiRoute.Oltp));
        Assert.Equal(("1|a; 2|b", RheiRoute.Olap), SidecarSource.Query(connection, "SELECT id, name FROM users ORDER BY id", RheiRoute.Olap));

        using var explain = connection.CreateCommand();
        explain.CommandText = "SELECT name, count(*) FROM users GROUP BY name";
        Assert.Equal(RheiRoute.Olap, explain.ExplainRoute().Target);
        await connection.SyncAsync();
        Assert.Equal(before, File.ReadAllBytes(source.SourcePath));
    }

    [Fact]
    public async Task Local_oltp_takes_writes_to_local_tables_which_replicate_beside_the_followed_ones()
    {
        using var source = new SidecarSource();
        source.Execute("INSERT INTO users VALUES (1, 'a', 1, 1)");
        await using var dataSource = RheiDataSource.Create(source.ConnectionString("Local Oltp=True"));
        await using var connection = await dataSource.OpenConnectionAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE notes (id INTEGER PRIMARY KEY, user_id INTEGER, body TEXT); INSERT INTO notes VALUES (1, 1, 'hello');";
        await command.ExecuteNonQueryAsync();

        // One analytical query joins a local table and a followed one, both from the mirror.
        Assert.Equal(("a|hello", RheiRoute.Olap), SidecarSource.Query(connection, "SELECT u.name, n.body FROM users u JOIN notes n ON n.user_id = u.id", RheiRoute.Olap));
        var status = await connection.GetSyncStatusAsync();
        Assert.Equal(("Triggers", "Timestamp"), (status.Tables.Single(t => t.Table == "notes").Capture, status.Tables.Single(t => t.Table == "users").Capture));

        command.CommandText = "UPDATE users SET name = 'z'";
        var error = await Assert.ThrowsAsync<RheiException>(() => command.ExecuteNonQueryAsync());
        Assert.Contains("'users' is followed", error.Message, StringComparison.Ordinal);
        Assert.Equal(["a"], source.SourceRows("SELECT name FROM users"));
    }
}
