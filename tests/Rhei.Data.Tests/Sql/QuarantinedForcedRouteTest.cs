namespace Rhei.Data.Tests.Sql;

public class QuarantinedForcedRouteTest
{
    [Fact]
    public async Task Route_olap_read_of_a_quarantined_table_is_refused_with_the_reason_while_auto_runs_on_sqlite()
    {
        await using var db = TestDatabase.Create();
        db.Execute("CREATE TABLE m (id INTEGER PRIMARY KEY, n INTEGER)");
        db.Execute("INSERT INTO m VALUES (1, 10), (2, 'not a number')");
        using var connection = db.Open();
        await connection.SyncAsync();
        var status = Assert.Single((await connection.GetSyncStatusAsync()).Tables, t => t.Table == "m");
        Assert.Equal(RheiTableSyncState.Quarantined, status.State);

        using var forced = new RheiCommand("SELECT COUNT(*) FROM m", connection) { Route = RheiRoute.Olap };
        var ex = await Assert.ThrowsAsync<RheiException>(async () => await forced.ExecuteScalarAsync());
        Assert.Contains("'m'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("quarantined", ex.Message, StringComparison.Ordinal);
        Assert.Contains(status.QuarantineReason!, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("does not exist", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Throws<RheiException>(() => forced.ExplainRoute());

        using var auto = new RheiCommand("SELECT COUNT(*) FROM m", connection);
        using var reader = await auto.ExecuteReaderAsync();
        Assert.Equal(RheiRoute.Oltp, reader.Route);
        Assert.True(await reader.ReadAsync());
        Assert.Equal(2L, reader.GetInt64(0));
    }
}
