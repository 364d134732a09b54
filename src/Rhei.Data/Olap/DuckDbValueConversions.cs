using System.Buffers.Binary;
using System.Numerics;
using Rhei.Data.Olap.Native;

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
    public static DuckDbNativeInterval ToInterval(TimeSpan value) => new()
    {
        Days = value.Days,
        Micros = (value.Ticks % TimeSpan.TicksPerDay) / TimeSpan.TicksPerMicrosecond,
    };

    public static DuckDbNativeInterval ToInterval(DuckDbInterval value) => new() { Months = value.Months, Days = value.Days, Micros = value.Micros };

    public static DuckDbUHugeInt ToUuid(Guid value)
    {
        Span<byte> bytes = stackalloc byte[16];
        value.TryWriteBytes(bytes, bigEndian: true, out _);
        return new DuckDbUHugeInt
        {
            Upper = BinaryPrimitives.ReadUInt64BigEndian(bytes),
            Lower = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
        };
    }

    /// <summary>Decodes the vector form of a UUID: a hugeint whose top bit is flipped so that it sorts.</summary>
    public static Guid FromUuidStorage(ulong lower, long upper)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, (ulong)upper ^ 0x8000_0000_0000_0000UL);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], lower);
        return new Guid(bytes, bigEndian: true);
    }

    public static DuckDbNativeDecimal ToDecimal(decimal value)
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

        return new DuckDbNativeDecimal
        {
            Width = (byte)Math.Max(digits, Math.Max((int)scale, 1)),
            Scale = scale,
            Value = new DuckDbHugeInt(unscaled),
        };
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
