using System.Globalization;
using Npgsql;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>
/// CPU seconds the benchmark's PostgreSQL server has used (user + system, from /proc): the postmaster's own and its
/// reaped children's, plus every backend still running, so a copy's server share is the difference around it. Zero
/// where /proc is not there.
/// </summary>
internal sealed class PostgreSqlServerCpu
{
    // USER_HZ, the unit of /proc/<pid>/stat's times: 100 on every Linux the benchmark runs on.
    private const double TicksPerSecond = 100;

    private readonly int _postmaster;

    private PostgreSqlServerCpu(int postmaster) => _postmaster = postmaster;

    /// <summary>Finds the server of <paramref name="connectionString"/>: the parent of a backend it starts.</summary>
    public static async Task<PostgreSqlServerCpu> FindAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        var backend = (int)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
        return new PostgreSqlServerCpu(Stat(backend) is { } stat ? int.Parse(stat[3], CultureInfo.InvariantCulture) : 0);
    }

    public double Seconds()
    {
        if (_postmaster == 0 || Stat(_postmaster) is not { } own)
        {
            return 0;
        }

        // utime, stime, cutime, cstime: fields 14–17 (index 13–16).
        var ticks = own.Skip(13).Take(4).Sum(v => long.Parse(v, CultureInfo.InvariantCulture));
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Stat(pid) is { } stat && stat[3] == _postmaster.ToString(CultureInfo.InvariantCulture))
            {
                ticks += long.Parse(stat[13], CultureInfo.InvariantCulture) + long.Parse(stat[14], CultureInfo.InvariantCulture);
            }
        }

        return ticks / TicksPerSecond;
    }

    /// <summary>The fields of /proc/<paramref name="pid"/>/stat after the command name (which may hold spaces), index 0 = field 1.</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var close = text.LastIndexOf(')');
            return [text[..text.IndexOf(' ', StringComparison.Ordinal)], "comm", .. text[(close + 2)..].Split(' ')];
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
