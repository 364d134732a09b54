using System.Runtime.InteropServices;

namespace Rhei.Data.Olap.Native;

/// <summary>
/// Mirror of the 48-byte <c>duckdb_result</c>. The deprecated fields are kept only so the size matches;
/// they are never read. Lives in native memory owned by <see cref="DuckDbResultHandle"/>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckDbResultStruct
{
    public ulong DeprecatedColumnCount;
    public ulong DeprecatedRowCount;
    public ulong DeprecatedRowsChanged;
    public nint DeprecatedColumns;
    public nint DeprecatedErrorMessage;
    public nint InternalData;
}
