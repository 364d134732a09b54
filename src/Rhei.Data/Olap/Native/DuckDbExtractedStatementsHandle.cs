using Microsoft.Win32.SafeHandles;

namespace Rhei.Data.Olap.Native;

/// <summary>Owns <c>duckdb_extracted_statements</c>; released with <c>duckdb_destroy_extracted</c>, even when extraction found nothing.</summary>
internal sealed class DuckDbExtractedStatementsHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public DuckDbExtractedStatementsHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        nint native = handle;
        NativeMethods.Extract.DestroyExtracted(ref native);
        return true;
    }
}
