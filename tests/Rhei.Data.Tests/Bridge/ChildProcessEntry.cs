using System.Diagnostics;

namespace Rhei.Data.Tests.Bridge;

/// <summary>
/// The test assembly run as a program (<c>dotnet Rhei.Data.Tests.dll &lt;role&gt; …</c>), for tests that need a second process:
/// <c>bridge-writer</c> writes and bridges until it is killed; <c>subscribe</c> prints the positions a subscription delivers;
/// <c>open</c> opens one connection and prints what happened (exit code 3 and the message for a RheiException).
/// </summary>
public static class ChildProcessEntry
{
    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "bridge-writer":
                await WriteUntilKilledAsync(args[1]);
                return 0;
            case "subscribe":
                await SubscribeAsync(args[1], args[2], int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture));
                return 0;
            case "open":
                return await OpenAsync(args[1]);
            default:
                Console.Error.WriteLine("Roles: bridge-writer <connection string> | subscribe <connection string> <name> <count> | open <connection string>");
                return 2;
        }
    }

    /// <summary>Inserts, updates and deletes in small transactions while the background loop bridges and syncs.</summary>
    private static async Task WriteUntilKilledAsync(string connectionString)
    {
        await using var dataSource = RheiDataSource.Create(connectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        Run(connection, "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
        var random = new Random();
        var announced = false;
        while (true)
        {
            await using (var transaction = await connection.BeginTransactionAsync())
            {
                Run(connection, "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 20) INSERT INTO t (v) SELECT x FROM s", transaction);
                // A few updates and deletes among the newest rows: a bounded number of events per transaction.
                Run(connection, $"UPDATE t SET v = v + 1 WHERE id > (SELECT max(id) FROM t) - 60 AND id % 7 = {random.Next(7)}", transaction);
                Run(connection, $"DELETE FROM t WHERE id > (SELECT max(id) FROM t) - 60 AND id % 13 = {random.Next(13)}", transaction);
                await transaction.CommitAsync();
            }

            if (!announced)
            {
                Console.WriteLine("writing");
                announced = true;
            }

            // About a thousand transactions a second at most: the kill lands among commits, bridging and syncs alike.
            await Task.Delay(1);
        }
    }

    private static void Run(RheiConnection connection, string sql, System.Data.Common.DbTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = (RheiTransaction?)transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static async Task SubscribeAsync(string connectionString, string name, int count)
    {
        await using var dataSource = RheiDataSource.Create(connectionString);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = 0;
        await foreach (var change in dataSource.SubscribeAsync(name, null, cancel.Token))
        {
            Console.WriteLine(change.Position.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + change.Operation + " " + change.Key["id"]);
            if (++seen == count)
            {
                break;
            }
        }
    }

    private static async Task<int> OpenAsync(string connectionString)
    {
        await using var dataSource = RheiDataSource.Create(connectionString);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            Console.WriteLine("opened");
            return 0;
        }
        catch (RheiException ex)
        {
            Console.WriteLine(nameof(RheiException) + ": " + ex.Message);
            return 3;
        }
    }

    /// <summary>Starts this assembly as a child process in <paramref name="role"/>.</summary>
    internal static Process Start(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(ChildProcessEntry).Assembly.Location);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("Could not start the child process.");
    }
}
