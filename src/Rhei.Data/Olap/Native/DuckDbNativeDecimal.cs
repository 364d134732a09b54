using System.Runtime.InteropServices;

namespace Rhei.Data.Olap.Native;

/// <summary><c>duckdb_decimal</c> (24 bytes): width, scale and the unscaled value as a hugeint at offset 8.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckDbNativeDecimal
{
    public byte Width;
    public byte Scale;
    public DuckDbHugeInt Value;
}
