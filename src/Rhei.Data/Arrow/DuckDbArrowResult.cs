using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Rhei.Data.Olap;
using Rhei.Data.Olap.Native;

namespace Rhei.Data.Arrow;

/// <summary>
/// Owns native memory holding one materialised <c>duckdb_result</c> for the Arrow reader, and destroys the result
/// (always, even after a failed execution) before freeing that memory.
/// </summary>
/// <remarks>
/// The Arrow path keeps its own result owner rather than <see cref="DuckDbResultReader"/>: it needs the raw
/// <c>duckdb_result*</c> for the Arrow options and chunk export, and never decodes a cell itself.
/// </remarks>
internal sealed unsafe class DuckDbArrowResult : SafeHandleZeroOrMinusOneIsInvalid
{
    private DuckDbArrowResult()
        : base(ownsHandle: true)
    {
        // Zeroed because some failure paths return DuckDBError without writing the struct.
        SetHandle((nint)NativeMemory.AllocZeroed(DuckDbArrowNative.ResultSize));
    }

    /// <summary>
    /// Executes a prepared statement (given as the raw pointer its owner lent) into a new result; DuckDB's error
    /// becomes a <see cref="DuckDbException"/>, an interrupt an <see cref="OperationCanceledException"/>.
    /// </summary>
    public static DuckDbArrowResult Execute(nint preparedStatement)
    {
        var result = new DuckDbArrowResult();
        try
        {
            if (DuckDbArrowNative.ExecutePrepared(preparedStatement, result.handle) != (int)DuckDB.NET.Native.DuckDBState.Success)
            {
                var message = Utf8(DuckDbArrowNative.ResultError(result.handle)) ?? "DuckDB reported an error without a message.";
                DuckDbErrors.Throw(message, DuckDbArrowNative.ResultErrorType(result.handle));
            }

            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>The raw <c>duckdb_result*</c>; valid while this handle is open.</summary>
    public nint Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            return handle;
        }
    }

    public int ColumnCount => checked((int)DuckDbArrowNative.ColumnCount(Pointer));

    public DuckDbTypeId ColumnType(int column) => (DuckDbTypeId)DuckDbArrowNative.ColumnType(Pointer, (ulong)column);

    public string ColumnName(int column) => Utf8(DuckDbArrowNative.ColumnName(Pointer, (ulong)column)) ?? string.Empty;

    /// <summary>The next chunk (owned by the caller), or 0 when the result is exhausted.</summary>
    public nint FetchChunk()
    {
        var chunk = DuckDbArrowNative.FetchChunk(*(DuckDbArrowNative.ResultValue*)Pointer);
        if (chunk == 0 && DuckDbArrowNative.ResultError(handle) is var error && error != null)
        {
            DuckDbErrors.Throw(Utf8(error)!, DuckDbArrowNative.ResultErrorType(handle));
        }

        return chunk;
    }

    internal static string? Utf8(byte* text) => text == null ? null : Marshal.PtrToStringUTF8((nint)text);

    protected override bool ReleaseHandle()
    {
        DuckDbArrowNative.DestroyResult(handle);
        NativeMemory.Free((void*)handle);
        return true;
    }
}
