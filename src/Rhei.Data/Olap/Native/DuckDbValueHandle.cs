using Microsoft.Win32.SafeHandles;

namespace Rhei.Data.Olap.Native;

/// <summary>Owns a <c>duckdb_value</c>; released with <c>duckdb_destroy_value</c>. Binding and appending copy the value.</summary>
internal sealed class DuckDbValueHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public DuckDbValueHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        nint native = handle;
        NativeMethods.Helpers.DestroyValue(ref native);
        return true;
    }
}
