using System.Data;
using System.Globalization;

namespace Rhei.Data;

/// <summary>
/// Converts CLR parameter values to the storage class Microsoft.Data.Sqlite would bind them as
/// (INTEGER as <see cref="long"/>, REAL as <see cref="double"/>, TEXT as <see cref="string"/>,
/// BLOB as <see cref="byte"/>[], NULL as null). The DuckDB route binds these same values, so a
/// parameter means the same thing on both engines.
/// </summary>
internal static class RheiValueBinder
{
    public static object? ToSqliteStorage(object? value, DbType? dbType, int size)
    {
        var stored = value switch
        {
            null or DBNull => (object?)null,
            string s => size > 0 && s.Length > size ? s[..size] : s,
            long l => l,
            int i => (long)i,
            bool b => b ? 1L : 0L,
            short s16 => (long)s16,
            byte u8 => (long)u8,
            sbyte s8 => (long)s8,
            ushort u16 => (long)u16,
            uint u32 => (long)u32,
            ulong u64 => unchecked((long)u64),
            double d => d,
            float f => (double)f,
            decimal m => m.ToString("0.0###########################", CultureInfo.InvariantCulture),
            char c => c.ToString(),
            DateTime dt => dt.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture),
            DateTimeOffset dto => dto.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
            DateOnly d => d.ToString(@"yyyy\-MM\-dd", CultureInfo.InvariantCulture),
            TimeOnly t => t.ToString(t.Ticks % TimeSpan.TicksPerSecond == 0 ? @"HH\:mm\:ss" : @"HH\:mm\:ss.fffffff", CultureInfo.InvariantCulture),
            TimeSpan ts => ts.ToString("c", CultureInfo.InvariantCulture),
            // Microsoft.Data.Sqlite binds a Guid as upper-case TEXT whatever the DbType (only SqliteType.Blob, which
            // RheiParameter does not expose, gives bytes).
            Guid g => g.ToString().ToUpperInvariant(),
            byte[] bytes => size > 0 && bytes.Length > size ? bytes[..size] : bytes,
            ReadOnlyMemory<byte> memory => memory.ToArray(),
            Memory<byte> memory => memory.ToArray(),
            Enum e => Convert.ToInt64(e, CultureInfo.InvariantCulture),
            IConvertible convertible => convertible.ToString(CultureInfo.InvariantCulture),
            _ => throw new InvalidOperationException(
                $"No mapping exists from object type {value.GetType().FullName} to a known SQLite storage class."),
        };

        // Microsoft.Data.Sqlite keeps the value's own storage class whatever DbType says (checked per type in
        // ParameterBindingTest), so DbType changes nothing here either.
        _ = dbType;
        return stored;
    }
}
