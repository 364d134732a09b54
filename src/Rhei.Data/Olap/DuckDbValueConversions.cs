using System.Buffers.Binary;
using System.Numerics;
using DuckDB.NET.Native;

namespace Rhei.Data.Olap;

/// <summary>CLR values to DuckDB's native representations and back, shared by binding, appending and reading.</summary>
internal static class DuckDbValueConversions
{
    public const long MicrosPerSecond = 1_000_000;
    public const long MicrosPerDay = 86_400_000_000;

    private const long UnixEpochTicks = 621_355_968_000_000_000;
    private const int UnixEpochDayNumber = 719_162;
    private const int MaxDecimalWidth = 38;

    public static long ToTimestampMicros(DateTime value) => (value.Ticks - UnixEpochTicks) / TimeSpan.TicksPerMicrosecond;

    public static long ToTimestampMicros(DateTimeOffset value) => (value.UtcTicks - UnixEpochTicks) / TimeSpan.TicksPerMicrosecond;

    public static int ToDays(DateOnly value) => value.DayNumber - UnixEpochDayNumber;

    public static long ToTimeMicros(TimeOnly value) => value.Ticks / TimeSpan.TicksPerMicrosecond;

    // Whole days go to the day part so that DuckDB prints "1 day 02:00:00" rather than "26:00:00".
    // The package's struct holds the micros as ulong; the C field is int64, so the bits are passed through.
    public static DuckDBInterval ToInterval(TimeSpan value)
        => new(0, value.Days, unchecked((ulong)((value.Ticks % TimeSpan.TicksPerDay) / TimeSpan.TicksPerMicrosecond)));

    public static DuckDBInterval ToInterval(DuckDbInterval value) => new(value.Months, value.Days, unchecked((ulong)value.Micros));

    // duckdb_hugeint is {lower, upper}.
    public static DuckDBHugeInt ToHugeInt(Int128 value) => new((ulong)value, (long)(value >> 64));

    public static DuckDBUHugeInt ToUHugeInt(UInt128 value) => new((ulong)value, (ulong)(value >> 64));

    /// <summary>
    /// The natural 128-bit UUID value <c>duckdb_create_uuid</c> takes (top bit not flipped, unlike the vector
    /// storage). The C parameter is a <c>duckdb_uhugeint</c>; the package declares a hugeint of the same layout.
    /// </summary>
    public static DuckDBHugeInt ToUuid(Guid value)
    {
        Span<byte> bytes = stackalloc byte[16];
        value.TryWriteBytes(bytes, bigEndian: true, out _);
        return new DuckDBHugeInt(BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]), unchecked((long)BinaryPrimitives.ReadUInt64BigEndian(bytes)));
    }

    /// <summary>Decodes the vector form of a UUID: a hugeint whose top bit is flipped so that it sorts.</summary>
    public static Guid FromUuidStorage(ulong lower, long upper)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, (ulong)upper ^ 0x8000_0000_0000_0000UL);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], lower);
        return new Guid(bytes, bigEndian: true);
    }

    public static DuckDBDecimal ToDecimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        UInt128 magnitude = new((ulong)(uint)bits[2], ((ulong)(uint)bits[1] << 32) | (uint)bits[0]);
        byte scale = (byte)((bits[3] >> 16) & 0xFF);
        Int128 unscaled = (bits[3] & int.MinValue) != 0 ? -(Int128)magnitude : (Int128)magnitude;

        int digits = magnitude == 0 ? 1 : (int)Math.Floor((int)UInt128.Log2(magnitude) * 0.30102999566398119521) + 1;
        if (digits < MaxDecimalWidth && magnitude >= Pow10(digits))
        {
            digits++;
        }

        return new DuckDBDecimal((byte)Math.Max(digits, Math.Max((int)scale, 1)), scale, ToHugeInt(unscaled));
    }

    public static UInt128 Pow10(int exponent)
    {
        UInt128 result = 1;
        for (int i = 0; i < exponent; i++)
        {
            result *= 10;
        }

        return result;
    }

    public static bool TryToInt128(BigInteger value, out Int128 result)
    {
        if (value >= (BigInteger)Int128.MinValue && value <= (BigInteger)Int128.MaxValue)
        {
            result = (Int128)value;
            return true;
        }

        result = default;
        return false;
    }

    public static bool TryToUInt128(BigInteger value, out UInt128 result)
    {
        if (value.Sign >= 0 && value <= (BigInteger)UInt128.MaxValue)
        {
            result = (UInt128)value;
            return true;
        }

        result = default;
        return false;
    }

    /// <summary>Boxed enum to its underlying integer, so both binding and appending see a plain number.</summary>
    public static object FromEnum(Enum value)
        => Type.GetTypeCode(Enum.GetUnderlyingType(value.GetType())) switch
        {
            TypeCode.UInt64 => Convert.ToUInt64(value, System.Globalization.CultureInfo.InvariantCulture),
            _ => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
        };
}
