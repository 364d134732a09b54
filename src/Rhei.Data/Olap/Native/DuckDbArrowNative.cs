using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Apache.Arrow.C;

namespace Rhei.Data.Olap.Native;

/// <summary>
/// DuckDB's Arrow export through the C data interface (<c>duckdb_result_get_arrow_options</c>,
/// <c>duckdb_to_arrow_schema</c>, <c>duckdb_data_chunk_to_arrow</c>) and the few result calls the Arrow reader
/// makes on a result it owns. Declared here, apart from DuckDB.NET's <c>NativeMethods</c>, because DuckDB.NET.Bindings
/// declares none of the Arrow export functions.
/// </summary>
/// <remarks>
/// Every parameter is a raw pointer (<c>nint</c>) rather than one of Rhei's SafeHandle types: the callers take the
/// pointer from whichever handle type owns the object (with <c>DangerousAddRef</c>), so these declarations do not
/// change when the handle types do. The library name is the one every DuckDB import in this assembly uses.
/// <c>[SuppressGCTransition]</c> is not applied: each call is made once per result, column or chunk.
/// </remarks>
internal static unsafe partial class DuckDbArrowNative
{
    private const string LibraryName = "duckdb";

    /// <summary>Mirror of the 48-byte <c>duckdb_result</c>, passed by value to <c>duckdb_fetch_chunk</c> only.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct ResultValue
    {
        public fixed ulong Words[6];
    }

    /// <summary>The size of <c>duckdb_result</c>, which the caller allocates.</summary>
    internal const int ResultSize = 48;

    [LibraryImport(LibraryName, EntryPoint = "duckdb_prepared_statement_column_count")]
    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    internal static partial ulong PreparedColumnCount(nint preparedStatement);

    // duckdb_type of a result column as DuckDB planned it; INVALID when it depends on the bound parameters.
    [LibraryImport(LibraryName, EntryPoint = "duckdb_prepared_statement_column_type")]
    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    internal static partial int PreparedColumnType(nint preparedStatement, ulong column);

    // Owned: a copy DuckDB made with strdup, released with duckdb_free.
    [LibraryImport(LibraryName, EntryPoint = "duckdb_prepared_statement_column_name")]
    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    internal static partial byte* PreparedColumnName(nint preparedStatement, ulong column);

    [LibraryImport(LibraryName, EntryPoint = "duckdb_free")]
    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    internal static partial void Free(void* pointer);

    [LibraryImport(LibraryName, EntryPoint = "duckdb_execute_prepared")]
    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    internal static partial int ExecutePrepared(nint preparedStatement, nint outResult);

    [LibraryImport(LibraryName, EntryPoint = "duckdb_destroy_result")]
    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    internal static partial void DestroyResult(nint result);

    // Borrowed: freed with the result.
    [LibraryImport(LibraryName, EntryPoint = "duckdb_result_error")]
    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    internal static partial byte* ResultError(nint result);

    [LibraryImport(LibraryName, EntryPoint = "duckdb_result_error_type")]
    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    internal static partial int ResultErrorType(nint result);

    [LibraryImport(LibraryName, EntryPoint = "duckdb_column_count")]
    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    internal static partial ulong ColumnCount(nint result);

    // Borrowed: freed with the result.
    [LibraryImport(LibraryName, EntryPoint = "duckdb_column_name")]
    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    internal static partial byte* ColumnName(nint result, ulong column);

    [LibraryImport(LibraryName, EntryPoint = "duckdb_column_type")]
    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    internal static partial int ColumnType(nint result, ulong column);

    // Owned: released with duckdb_destroy_logical_type.
    [LibraryImport(LibraryName, EntryPoint = "duckdb_column_logical_type")]
    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    internal static partial nint ColumnLogicalType(nint result, ulong column);

    [LibraryImport(LibraryName, EntryPoint = "duckdb_destroy_logical_type")]
    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    internal static partial void DestroyLogicalType(ref nint logicalType);

    // NULL when the result is exhausted or failed; an owned chunk otherwise.
    [LibraryImport(LibraryName, EntryPoint = "duckdb_fetch_chunk")]
    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    internal static partial nint FetchChunk(ResultValue result);

    [LibraryImport(LibraryName, EntryPoint = "duckdb_destroy_data_chunk")]
    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    internal static partial void DestroyDataChunk(ref nint chunk);

    [LibraryImport(LibraryName, EntryPoint = "duckdb_data_chunk_get_size")]
    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    internal static partial ulong DataChunkSize(nint chunk);

    // The client's Arrow settings (string views, large buffers…) as the result saw them; owned.
    [LibraryImport(LibraryName, EntryPoint = "duckdb_result_get_arrow_options")]
    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    internal static partial nint ResultGetArrowOptions(nint result);

    [LibraryImport(LibraryName, EntryPoint = "duckdb_destroy_arrow_options")]
    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    internal static partial void DestroyArrowOptions(ref nint arrowOptions);

    // Returns NULL on success, otherwise an owned duckdb_error_data.
    [LibraryImport(LibraryName, EntryPoint = "duckdb_to_arrow_schema")]
    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    internal static partial nint ToArrowSchema(nint arrowOptions, nint* types, byte** names, ulong columnCount, CArrowSchema* outSchema);

    // Returns NULL on success, otherwise an owned duckdb_error_data. The array owns copies of the chunk's data.
    [LibraryImport(LibraryName, EntryPoint = "duckdb_data_chunk_to_arrow")]
    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    internal static partial nint DataChunkToArrow(nint arrowOptions, nint chunk, CArrowArray* outArray);

    // Borrowed: freed with the error data.
    [LibraryImport(LibraryName, EntryPoint = "duckdb_error_data_message")]
    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    internal static partial byte* ErrorDataMessage(nint errorData);

    [LibraryImport(LibraryName, EntryPoint = "duckdb_error_data_error_type")]
    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    internal static partial int ErrorDataErrorType(nint errorData);

    [LibraryImport(LibraryName, EntryPoint = "duckdb_destroy_error_data")]
    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    internal static partial void DestroyErrorData(ref nint errorData);
}
