using Microsoft.Win32.SafeHandles;

namespace Rhei.Data.Olap.Native;

/// <summary>
/// Owns a <c>duckdb_appender</c>. <c>duckdb_appender_destroy</c> flushes pending rows before freeing, so
/// <see cref="ReleaseHandle"/> clears them first: releasing (a <c>using</c> left by an exception, the
/// finalizer) must never commit. Rows are committed only by an explicit flush or close.
/// </summary>
internal sealed class DuckDbAppenderHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public DuckDbAppenderHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        nint native = handle;

        // Failures are expected here (an appender already closed or invalidated by a failed flush) and
        // there is nobody to report them to.
        _ = DuckDbNativeMethods.Appender.ClearRaw(native);
        _ = DuckDbNativeMethods.Appender.Destroy(ref native);
        return true;
    }
}
