using Microsoft.Win32.SafeHandles;

namespace Rhei.Data.Olap.Native;

/// <summary>Owns a <c>duckdb_connection</c>; released with <c>duckdb_disconnect</c>.</summary>
internal sealed class DuckDbConnectionHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public DuckDbConnectionHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        nint native = handle;
        NativeMethods.Startup.Disconnect(ref native);
        return true;
    }
}
