using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

namespace Rhei.Data.Olap.Native;

internal static partial class NativeMethods
{
    /// <summary>Opening databases, connecting, configuration.</summary>
    internal static partial class Startup
    {
        // out_error is caller-owned (duckdb_free), but it is an out parameter, so it is taken as a raw
        // pointer and freed by the caller once read.
        [LibraryImport(LibraryName, EntryPoint = "duckdb_open_ext", StringMarshalling = StringMarshalling.Utf8)]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState OpenExt(string? path, out DuckDbDatabaseHandle database, DuckDbConfigHandle config, out nint error);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_close")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial void Close(ref nint database);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_connect")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState Connect(DuckDbDatabaseHandle database, out DuckDbConnectionHandle connection);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_disconnect")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial void Disconnect(ref nint connection);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_interrupt")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial void Interrupt(DuckDbConnectionHandle connection);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_create_config")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState CreateConfig(out DuckDbConfigHandle config);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_set_config", StringMarshalling = StringMarshalling.Utf8)]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState SetConfig(DuckDbConfigHandle config, string name, string option);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_destroy_config")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial void DestroyConfig(ref nint config);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_library_version")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        [return: MarshalUsing(typeof(DuckDbBorrowedStringMarshaller))]
        internal static partial string? LibraryVersion();
    }
}
