using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Rhei.Data.Olap.Native;

/// <summary>
/// Owns native memory holding a <c>duckdb_result</c> struct, so the struct has the stable address the
/// C API needs, and destroys the result (always, even after a failed query) before freeing that memory.
/// Marshals as <c>duckdb_result*</c>.
/// </summary>
internal sealed unsafe class DuckDbResultHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public DuckDbResultHandle()
        : base(ownsHandle: true)
    {
        // Zeroed because some failure paths return DuckDBError without writing the struct.
        SetHandle((nint)NativeMemory.AllocZeroed((nuint)sizeof(DuckDbResultStruct)));
    }

    /// <summary>Fetches the next chunk; <see langword="null"/> when exhausted or on error.</summary>
    public DuckDbDataChunkHandle? FetchChunk()
    {
        bool added = false;
        try
        {
            DangerousAddRef(ref added);

            // duckdb_fetch_chunk takes the struct by value; its internal_data points at the real result.
            nint chunk = NativeMethods.DataChunk.FetchChunk(*(DuckDbResultStruct*)handle);
            return chunk == 0 ? null : new DuckDbDataChunkHandle(chunk, ownsHandle: true);
        }
        finally
        {
            if (added)
            {
                DangerousRelease();
            }
        }
    }

    protected override bool ReleaseHandle()
    {
        NativeMethods.Query.DestroyResult(handle);
        NativeMemory.Free((void*)handle);
        return true;
    }
}
