using Microsoft.Win32.SafeHandles;

namespace Rhei.Data.Olap.Native;

/// <summary>Owns a <c>duckdb_logical_type</c>; released with <c>duckdb_destroy_logical_type</c>.</summary>
internal sealed class DuckDbLogicalTypeHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public DuckDbLogicalTypeHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        nint native = handle;
        NativeMethods.LogicalType.DestroyLogicalType(ref native);
        return true;
    }
}
