using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>
/// CPU time of the benchmark process and of the local PostgreSQL server (the postmaster and every process it forked:
/// backends, the walsender, background workers, with the children that already exited counted through the
/// postmaster's cumulative child times), read from <c>/proc</c>. On a shared machine the wall time of an apply moves
/// with the load; the CPU split says what our side cost and what the server spent decoding and sending.
/// </summary>
internal sealed class ServerCpu
{
    // USER_HZ: the unit of /proc/[pid]/stat times; 100 on every Linux build .NET runs on.
    private const double TicksPerSecond = 100;

    private readonly int _postmaster;

    private ServerCpu(int postmaster) => _postmaster = postmaster;

    /// <summary>Finds the server's postmaster through a backend of <paramref name="connectionString"/>; null where /proc is not readable.</summary>
    public static async Task<ServerCpu?> FindAsync(string connectionString)
    {
        if (!Directory.Exists("/proc"))
        {
            return null;
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        var backend = (int)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
        return Stat(backend) is { } stat ? new ServerCpu(stat.Parent) : null;
    }

    /// <summary>The server's CPU seconds so far, and this process's.</summary>
    public (double Server, double Ours) Sample()
    {
        double server = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Stat(pid) is { } stat && (pid == _postmaster || stat.Parent == _postmaster))
            {
                server += stat.Ticks + (pid == _postmaster ? stat.ChildTicks : 0);
            }
        }

        using var self = Process.GetCurrentProcess();
        return (server / TicksPerSecond, self.TotalProcessorTime.TotalSeconds);
    }

    /// <summary>"ours 1.23 s CPU, server 0.45 s CPU (27 %)" between two samples.</summary>
    public static string Describe((double Server, double Ours) before, (double Server, double Ours) after)
    {
        var ours = after.Ours - before.Ours;
        var server = after.Server - before.Server;
        var share = ours + server > 0 ? server / (ours + server) : 0;
        return string.Create(CultureInfo.InvariantCulture, $"CPU ours {ours:0.00} s, server {server:0.00} s ({share:P0} of both)");
    }

    private static (int Parent, long Ticks, long ChildTicks)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // The command name is in parentheses and may hold spaces: the fields count from the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return ((int)Field(4), Field(14) + Field(15), Field(16) + Field(17));
    }
}
