using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DuckDB.NET.Native;

namespace Rhei.Data.Olap.Native;

internal static partial class DuckDbNativeMethods
{
    /// <summary>
    /// The appender, kept here rather than taken from the package for two reasons. Its handle must never commit
    /// on release (<see cref="DuckDbAppenderHandle"/> clears before <c>duckdb_appender_destroy</c>, which the
    /// package's <c>DuckDBAppender</c> does not), so creation and the handle-taking calls need our handle type.
    /// And the calls made per value, per row or per chunk take the raw <c>duckdb_appender</c>:
    /// <see cref="DuckDbAppender"/> holds one <c>DangerousAddRef</c> for its lifetime, whereas the package's
    /// SafeHandle parameters add an AddRef/Release pair (two interlocked operations) to every cell.
    /// After a failed call read <see cref="AppenderErrorData"/>.
    /// </summary>
    internal static unsafe partial class Appender
    {
        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_create_ext", StringMarshalling = StringMarshalling.Utf8)]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState CreateExt(DuckDBNativeConnection connection, string? catalog, string? schema, string table, out DuckDbAppenderHandle appender);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_column_count")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial ulong ColumnCount(DuckDbAppenderHandle appender);

        // Owned: destroy with duckdb_destroy_logical_type.
        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_column_type")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBLogicalType ColumnType(DuckDbAppenderHandle appender, ulong column);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_flush")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState Flush(DuckDbAppenderHandle appender);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_clear")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState Clear(DuckDbAppenderHandle appender);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_close")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState CloseAppender(DuckDbAppenderHandle appender);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_error_data")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBErrorData AppenderErrorData(DuckDbAppenderHandle appender);

        // Copies the chunk into the appender's pending rows (the chunk can be reset right after); casts columns
        // whose type differs from the table's.
        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_data_chunk")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState AppendDataChunk(nint appender, nint chunk);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_end_row")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState EndRow(nint appender);

        // The fixed-width appends below only store a value in the appender's current chunk: short, no locks, no
        // callbacks, which is what [SuppressGCTransition] requires (the package marks the same functions).
        [SuppressGCTransition]
        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_null")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState AppendNull(nint appender);

        [SuppressGCTransition]
        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_bool")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState AppendBool(nint appender, [MarshalAs(UnmanagedType.U1)] bool value);

        [SuppressGCTransition]
        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_int32")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState AppendInt32(nint appender, int value);

        [SuppressGCTransition]
        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_int64")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState AppendInt64(nint appender, long value);

        [SuppressGCTransition]
        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_uint64")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState AppendUInt64(nint appender, ulong value);

        [SuppressGCTransition]
        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_hugeint")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState AppendHugeInt(nint appender, DuckDBHugeInt value);

        [SuppressGCTransition]
        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_uhugeint")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState AppendUHugeInt(nint appender, DuckDBUHugeInt value);

        [SuppressGCTransition]
        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_float")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState AppendFloat(nint appender, float value);

        [SuppressGCTransition]
        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_double")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState AppendDouble(nint appender, double value);

        [SuppressGCTransition]
        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_date")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState AppendDate(nint appender, int days);

        [SuppressGCTransition]
        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_time")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState AppendTime(nint appender, long micros);

        [SuppressGCTransition]
        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_timestamp")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState AppendTimestamp(nint appender, long micros);

        [SuppressGCTransition]
        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_interval")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState AppendInterval(nint appender, DuckDBInterval value);

        // Strings and blobs copy into DuckDB's string heap (an allocation), so they keep the GC transition.
        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_varchar_length")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState AppendVarcharLength(nint appender, byte* utf8, ulong length);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_blob")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState AppendBlob(nint appender, byte* data, ulong length);

        // Not declared by the package.
        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_value")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState AppendValue(nint appender, DuckDBValue value);

        // Flushes before freeing; DuckDbAppenderHandle clears first so that releasing never commits rows.
        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_destroy")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState Destroy(ref nint appender);

        // Raw-handle variant for DuckDbAppenderHandle.ReleaseHandle, where the SafeHandle is already closing.
        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_clear")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState ClearRaw(nint appender);
    }
}
