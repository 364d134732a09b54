using Microsoft.Win32.SafeHandles;

namespace Rhei.Data.Olap.Native;

/// <summary>Owns a <c>duckdb_prepared_statement</c>; released with <c>duckdb_destroy_prepare</c>, also after a failed prepare.</summary>
internal sealed class DuckDbPreparedStatementHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public DuckDbPreparedStatementHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        nint native = handle;
        NativeMethods.Prepared.DestroyPrepare(ref native);
        return true;
    }
}
