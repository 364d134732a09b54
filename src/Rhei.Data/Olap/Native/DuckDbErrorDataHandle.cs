using Microsoft.Win32.SafeHandles;

namespace Rhei.Data.Olap.Native;

/// <summary>Owns a <c>duckdb_error_data</c>; released with <c>duckdb_destroy_error_data</c>.</summary>
internal sealed class DuckDbErrorDataHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public DuckDbErrorDataHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        nint native = handle;
        NativeMethods.Errors.DestroyErrorData(ref native);
        return true;
    }
}
