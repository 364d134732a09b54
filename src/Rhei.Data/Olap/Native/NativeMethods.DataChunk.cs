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

        // Owned: destroy with duckdb_destroy_data_chunk. The types are copied, so the caller keeps ownership of them.
        [LibraryImport(LibraryName, EntryPoint = "duckdb_create_data_chunk")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial nint CreateDataChunk(nint* types, ulong columnCount);

        // Size back to 0 and string heaps freed; vector data and validity pointers must be fetched again.
        [LibraryImport(LibraryName, EntryPoint = "duckdb_data_chunk_reset")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial void Reset(nint chunk);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_data_chunk_set_size")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial void SetSize(nint chunk, ulong size);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_data_chunk_get_vector")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial nint GetVectorRaw(nint chunk, ulong column);

        // Allocates the validity mask (all valid) if the vector has none; afterwards duckdb_vector_get_validity is non-NULL.
        [LibraryImport(LibraryName, EntryPoint = "duckdb_vector_ensure_validity_writable")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial void VectorEnsureValidityWritable(nint vector);

        // Copies the bytes into the vector's string heap without checking UTF-8; the caller guarantees validity
        // (VARCHAR) or none is needed (BLOB).
        [LibraryImport(LibraryName, EntryPoint = "duckdb_unsafe_vector_assign_string_element_len")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial void UnsafeVectorAssignStringElementLen(nint vector, ulong index, byte* data, ulong length);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_vector_size")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial ulong VectorSize();
    }
}
