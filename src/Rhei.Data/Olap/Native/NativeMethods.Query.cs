using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

namespace Rhei.Data.Olap.Native;

internal static partial class NativeMethods
{
    /// <summary>Running SQL and inspecting a materialised <c>duckdb_result</c>.</summary>
    internal static partial class Query
    {
        [LibraryImport(LibraryName, EntryPoint = "duckdb_query", StringMarshalling = StringMarshalling.Utf8)]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState Execute(DuckDbConnectionHandle connection, string query, DuckDbResultHandle result);

        // Takes the raw struct address: only DuckDbResultHandle.ReleaseHandle calls it.
        [LibraryImport(LibraryName, EntryPoint = "duckdb_destroy_result")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial void DestroyResult(nint result);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_result_error")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        [return: MarshalUsing(typeof(DuckDbBorrowedStringMarshaller))]
        internal static partial string? ResultError(DuckDbResultHandle result);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_result_error_type")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial int ResultErrorType(DuckDbResultHandle result);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_column_count")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial ulong ColumnCount(DuckDbResultHandle result);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_column_name")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        [return: MarshalUsing(typeof(DuckDbBorrowedStringMarshaller))]
        internal static partial string? ColumnName(DuckDbResultHandle result, ulong column);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_column_logical_type")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbLogicalTypeHandle ColumnLogicalType(DuckDbResultHandle result, ulong column);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_rows_changed")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial ulong RowsChanged(DuckDbResultHandle result);
    }
}
