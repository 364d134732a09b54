using System.Globalization;
using System.Text.RegularExpressions;

namespace Rhei.Data.Olap;

/// <summary>What the engine does with a durable mirror's file when DuckDB cannot use it: tell a lock from damage, set damage aside.</summary>
internal static partial class MirrorFiles
{
    /// <summary>Whether DuckDB refused the file because another process holds its lock (not because it is damaged).</summary>
    public static bool IsLocked(DuckDbException ex)
        => ex.Message.Contains("Could not set lock", StringComparison.OrdinalIgnoreCase)
            || ex.Message.Contains("Conflicting lock", StringComparison.OrdinalIgnoreCase);

    /// <summary>The process DuckDB names as the lock holder ("PID 1234" and its program), or a plain phrase when it names none.</summary>
    public static string LockHolder(DuckDbException ex)
    {
        var match = LockHolderPattern().Match(ex.Message);
        return match.Success ? match.Value.Trim() : "another process";
    }

    /// <summary>Moves a damaged mirror (and its WAL) beside itself, returning the new name; the original path is free afterwards.</summary>
    public static string SetAside(string path)
    {
        var aside = path + ".damaged-" + DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture);
        if (File.Exists(path))
        {
            File.Move(path, aside);
        }

        var wal = path + ".wal";
        if (File.Exists(wal))
        {
            File.Move(wal, aside + ".wal");
        }

        return aside;
    }

    [GeneratedRegex(@"(\S+\s+)?\(PID \d+\)|PID \d+", RegexOptions.CultureInvariant)]
    private static partial Regex LockHolderPattern();
}
