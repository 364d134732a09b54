using System.Runtime.InteropServices;

namespace Rhei.Data.Olap.Native;

/// <summary><c>duckdb_uhugeint</c>: value = upper·2^64 + lower.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckDbUHugeInt
{
    public ulong Lower;
    public ulong Upper;

    public DuckDbUHugeInt(UInt128 value)
    {
        Lower = (ulong)value;
        Upper = (ulong)(value >> 64);
    }

    public readonly UInt128 ToUInt128() => new(Upper, Lower);
}
