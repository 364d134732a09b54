using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

namespace Rhei.Data.Olap.Native;

internal static partial class NativeMethods
{
    /// <summary><c>duckdb_error_data</c>: type and message of an appender (or other) failure.</summary>
    internal static partial class Errors
    {
        [LibraryImport(LibraryName, EntryPoint = "duckdb_error_data_error_type")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial int ErrorDataErrorType(DuckDbErrorDataHandle error);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_error_data_message")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        [return: MarshalUsing(typeof(DuckDbBorrowedStringMarshaller))]
        internal static partial string? ErrorDataMessage(DuckDbErrorDataHandle error);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_error_data_has_error")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        [return: MarshalAs(UnmanagedType.U1)]
        internal static partial bool ErrorDataHasError(DuckDbErrorDataHandle error);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_destroy_error_data")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial void DestroyErrorData(ref nint error);
    }
}
