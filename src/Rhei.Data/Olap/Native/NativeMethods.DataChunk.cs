using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Rhei.Data.Olap.Native;

internal static partial class NativeMethods
{
    /// <summary>Data chunks and their vectors. Vectors are borrowed from their chunk and never destroyed.</summary>
    internal static unsafe partial class DataChunk
    {
        // Takes the whole 48-byte duckdb_result by value; NULL means exhausted or failed (check the result error).
        [LibraryImport(LibraryName, EntryPoint = "duckdb_fetch_chunk")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial nint FetchChunk(DuckDbResultStruct result);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_destroy_data_chunk")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial void DestroyDataChunk(ref nint chunk);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_data_chunk_get_size")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial ulong GetSize(DuckDbDataChunkHandle chunk);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_data_chunk_get_column_count")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial ulong GetColumnCount(DuckDbDataChunkHandle chunk);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_data_chunk_get_vector")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial nint GetVector(DuckDbDataChunkHandle chunk, ulong column);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_vector_get_data")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial void* VectorGetData(nint vector);

        // NULL means every row of the vector is valid.
        [LibraryImport(LibraryName, EntryPoint = "duckdb_vector_get_validity")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial ulong* VectorGetValidity(nint vector);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_vector_size")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial ulong VectorSize();
    }
}
