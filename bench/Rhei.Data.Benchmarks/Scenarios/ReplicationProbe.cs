using Rhei.Data.Benchmarks.Data;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>Finds out whether this build has real replication: a captured insert must reach the mirror.</summary>
internal static class ReplicationProbe
{
    public static async Task<bool> IsAvailableAsync(Harness.RunOptions options)
    {
        using var directory = new Harness.BenchDirectory(options.WorkDirectory, "probe");
        try
        {
            using var connection = Connections.OpenRhei(directory.File("probe.db"));
            Connections.Execute(connection, "CREATE TABLE probe (id INTEGER PRIMARY KEY, v TEXT)");
            Connections.Execute(connection, "INSERT INTO probe VALUES (1, 'x')");
            var result = await connection.SyncAsync().ConfigureAwait(false);
            return result.EventsProcessed > 0;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
