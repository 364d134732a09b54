using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Rhei.Data.Olap.Native;

internal static partial class NativeMethods
{
    /// <summary>Memory helpers and <c>duckdb_value</c> constructors for types without a bind/append function.</summary>
    internal static partial class Helpers
    {
        [LibraryImport(LibraryName, EntryPoint = "duckdb_free")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial void Free(nint pointer);

        // Takes the natural 128-bit UUID value (top bit not flipped, unlike the vector storage).
        [LibraryImport(LibraryName, EntryPoint = "duckdb_create_uuid")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbValueHandle CreateUuid(DuckDbUHugeInt value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_create_decimal")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbValueHandle CreateDecimal(DuckDbNativeDecimal value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_create_timestamp_tz")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbValueHandle CreateTimestampTz(long micros);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_destroy_value")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial void DestroyValue(ref nint value);
    }
}
