using Microsoft.Win32.SafeHandles;

namespace Rhei.Data.Olap.Native;

/// <summary>Owns a <c>duckdb_database</c>; released with <c>duckdb_close</c>.</summary>
internal sealed class DuckDbDatabaseHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public DuckDbDatabaseHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        nint native = handle;
        NativeMethods.Startup.Close(ref native);
        return true;
    }
}
