using Rhei.Data.Olap;

namespace Rhei.Data.Sync;

/// <summary>Tells a DuckDB failure caused by one table's data (quarantine that table) from one of the mirror itself (disk, memory, damage).</summary>
internal static class MirrorFaults
{
    // duckdb_error_type: IO, FATAL, INTERNAL, OUT_OF_MEMORY, PERMISSION.
    private const int Io = 28;
    private const int Fatal = 30;
    private const int Internal = 31;
    private const int OutOfMemory = 33;
    private const int Permission = 34;

    /// <summary>True when the failure is the mirror's, not a table's: quarantining a table would not help and would hide it.</summary>
    public static bool IsEnvironmental(DuckDbException ex)
        => ex.DuckDbErrorType is Io or Fatal or Internal or OutOfMemory or Permission
            || ex.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase)
            || ex.Message.Contains("invalidated", StringComparison.OrdinalIgnoreCase)
            || IsDamage(ex);

    /// <summary>True when the failure is a shortage (disk space, memory, permission): the file is fine, setting it aside would not help.</summary>
    public static bool IsShortage(DuckDbException ex)
        => ex.DuckDbErrorType is OutOfMemory or Permission
            || ex.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase)
            || ex.Message.Contains("Permission denied", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when DuckDB read a block of the file whose checksum does not match: the file is damaged.</summary>
    public static bool IsDamage(DuckDbException ex)
        => ex.Message.Contains("Corrupt database file", StringComparison.OrdinalIgnoreCase)
            || ex.Message.Contains("does not match stored checksum", StringComparison.OrdinalIgnoreCase);
}
