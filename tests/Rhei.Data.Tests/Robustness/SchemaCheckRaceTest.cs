using Microsoft.Data.Sqlite;
using Rhei.Data.Tests.Sync;

namespace Rhei.Data.Tests.Robustness;


/// <summary>
/// A schema change by another writer while a cycle checks the schema is not recorded as checked: the change log
/// dropped just after the cycle recreated what was missing is recreated again, so the next captured write succeeds.
/// </summary>
public sealed class SchemaCheckRaceTest
{
    private static readonly CancellationToken s_ct = CancellationToken.None;

    [Fact]
    public async Task Change_log_dropped_while_a_cycle_repairs_the_schema_is_recreated_before_the_cycle_ends()
    {
        await using var h = await ReplicationHarness.StartAsync(replicate: ReplicationHarness.AllTables);
        h.Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
        await h.Engine.RegisterTableAsync("t", s_ct);
        h.Exec("INSERT INTO t VALUES (1, 1)");
        await h.Engine.SyncAsync(s_ct);

        var dropped = 0;
        h.Engine.FaultInjector = point =>
        {
            // The first repair of the cycle has looked and found the log in place; another writer drops it now.
            if (point == "after-repair" && Interlocked.Exchange(ref dropped, 1) == 0)
            {
                // A tool outside Rhei.Data on a connection of its own (as the sqlite3 shell would be): a pooled
                // connection that dropped the table would keep it out of its cached schema after it is recreated.
                using var outsider = new SqliteConnection($"Data Source={h.DbPath};Pooling=False");
                outsider.Open();
                using var drop = outsider.CreateCommand();
                drop.CommandText = "DROP TABLE _rhei_cdc_log";
                drop.ExecuteNonQuery();
            }
        };

        // Any schema change makes the next cycle check (and repair) the schema.
        h.Exec("CREATE TABLE unrelated(x INTEGER)");
        await h.Engine.SyncAsync(s_ct);
        h.Engine.FaultInjector = null;

        Assert.Equal(1, dropped);
        h.Exec("INSERT INTO t VALUES (2, 2)");
        await h.Engine.SyncAsync(s_ct);
        Assert.Equal(2L, h.OlapCount("t"));
    }
}
