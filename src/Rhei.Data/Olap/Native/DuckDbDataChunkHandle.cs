using Microsoft.Win32.SafeHandles;

namespace Rhei.Data.Olap.Native;

/// <summary>
/// A <c>duckdb_data_chunk</c>. Chunks from <c>duckdb_fetch_chunk</c> are owned and released with
/// <c>duckdb_destroy_data_chunk</c>; a chunk DuckDB hands to a callback is borrowed and left alone.
/// </summary>
internal sealed class DuckDbDataChunkHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public DuckDbDataChunkHandle()
        : base(ownsHandle: true)
    {
    }

    public DuckDbDataChunkHandle(nint chunk, bool ownsHandle)
        : base(ownsHandle)
    {
        SetHandle(chunk);
    }

    protected override bool ReleaseHandle()
    {
        nint native = handle;
        NativeMethods.DataChunk.DestroyDataChunk(ref native);
        return true;
    }
}
