using Microsoft.Win32.SafeHandles;

namespace Rhei.Data.Olap.Native;

/// <summary>Owns a <c>duckdb_config</c>; released with <c>duckdb_destroy_config</c> (safe right after open).</summary>
internal sealed class DuckDbConfigHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public DuckDbConfigHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        nint native = handle;
        NativeMethods.Startup.DestroyConfig(ref native);
        return true;
    }
}
