using System.Runtime.InteropServices;
using DuckDB.NET.Native;
using Microsoft.Win32.SafeHandles;
using DuckDBNative = DuckDB.NET.Native.NativeMethods;

namespace Rhei.Data.Olap.Native;

/// <summary>
/// Owns native memory holding a <c>duckdb_result</c> (the package's plain <see cref="DuckDBResult"/> struct), so
/// the struct has a stable address and the result is destroyed exactly once — always, even after a failed query,
/// and by the finalizer if nobody disposed it — before that memory is freed.
/// </summary>
internal sealed unsafe class DuckDbResultHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public DuckDbResultHandle()
        : base(ownsHandle: true)
    {
        // Zeroed because some failure paths return DuckDBError without writing the struct.
        SetHandle((nint)NativeMemory.AllocZeroed((nuint)sizeof(DuckDBResult)));
    }

    /// <summary>The struct itself, for the package's <c>ref DuckDBResult</c> parameters. Valid while the handle is open.</summary>
    public ref DuckDBResult Result
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            return ref *(DuckDBResult*)handle;
        }
    }

    /// <summary>Fetches the next chunk; <see langword="null"/> when exhausted or on error.</summary>
    public DuckDBDataChunk? FetchChunk()
    {
        bool added = false;
        try
        {
            DangerousAddRef(ref added);

            // duckdb_fetch_chunk takes the struct by value; its internal_data points at the real result.
            DuckDBDataChunk chunk = DuckDBNative.Query.DuckDBFetchChunk(*(DuckDBResult*)handle);
            if (chunk.IsInvalid)
            {
                chunk.Dispose();
                return null;
            }

            return chunk;
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
        DuckDBNative.Query.DuckDBDestroyResult(ref *(DuckDBResult*)handle);
        NativeMemory.Free((void*)handle);
        return true;
    }
}
