using System.Runtime.InteropServices;

namespace Rhei.Data.Olap.Native;

/// <summary>
/// <c>duckdb_hugeint</c>: value = upper·2^64 + lower. Used instead of <see cref="Int128"/> in signatures
/// because the C struct has 8-byte alignment and is passed as two integer registers.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckDbHugeInt
{
    public ulong Lower;
    public long Upper;

    public DuckDbHugeInt(Int128 value)
    {
        Lower = (ulong)value;
        Upper = (long)(value >> 64);
    }

    public readonly Int128 ToInt128() => new((ulong)Upper, Lower);
}
