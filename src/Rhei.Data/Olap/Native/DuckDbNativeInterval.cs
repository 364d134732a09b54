using System.Runtime.InteropServices;

namespace Rhei.Data.Olap.Native;

/// <summary><c>duckdb_interval</c> (16 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckDbNativeInterval
{
    public int Months;
    public int Days;
    public long Micros;
}
