using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Rhei.Data.Olap.Native;

internal static partial class NativeMethods
{
    /// <summary>
    /// The appender: row-by-row bulk insert. After a failed call read <see cref="AppenderErrorData"/>.
    /// Calls made per value or per row take the raw <c>duckdb_appender</c>: <see cref="DuckDbAppender"/> holds one
    /// <c>DangerousAddRef</c> for its lifetime, so SafeHandle marshalling would only add an AddRef/Release pair
    /// (two interlocked operations) to every cell.
    /// </summary>
    internal static unsafe partial class Appender
    {
        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_create_ext", StringMarshalling = StringMarshalling.Utf8)]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState CreateExt(DuckDbConnectionHandle connection, string? catalog, string? schema, string table, out DuckDbAppenderHandle appender);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_column_count")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial ulong ColumnCount(DuckDbAppenderHandle appender);

        // Owned: destroy with duckdb_destroy_logical_type.
        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_column_type")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbLogicalTypeHandle ColumnType(DuckDbAppenderHandle appender, ulong column);

        // Copies the chunk into the appender's pending rows (the chunk can be reset right after); casts columns
        // whose type differs from the table's.
        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_data_chunk")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendDataChunk(nint appender, nint chunk);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_end_row")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState EndRow(nint appender);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_flush")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState Flush(DuckDbAppenderHandle appender);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_clear")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState Clear(DuckDbAppenderHandle appender);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_close")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState CloseAppender(DuckDbAppenderHandle appender);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_error_data")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbErrorDataHandle AppenderErrorData(DuckDbAppenderHandle appender);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_null")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendNull(nint appender);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_bool")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendBool(nint appender, [MarshalAs(UnmanagedType.U1)] bool value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_int8")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendInt8(nint appender, sbyte value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_int16")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendInt16(nint appender, short value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_int32")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendInt32(nint appender, int value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_int64")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendInt64(nint appender, long value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_uint8")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendUInt8(nint appender, byte value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_uint16")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendUInt16(nint appender, ushort value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_uint32")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendUInt32(nint appender, uint value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_uint64")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendUInt64(nint appender, ulong value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_hugeint")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendHugeInt(nint appender, DuckDbHugeInt value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_uhugeint")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendUHugeInt(nint appender, DuckDbUHugeInt value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_float")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendFloat(nint appender, float value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_double")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendDouble(nint appender, double value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_date")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendDate(nint appender, int days);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_time")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendTime(nint appender, long micros);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_timestamp")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendTimestamp(nint appender, long micros);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_interval")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendInterval(nint appender, DuckDbNativeInterval value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_varchar_length")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendVarcharLength(nint appender, byte* utf8, ulong length);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_blob")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendBlob(nint appender, byte* data, ulong length);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_value")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendValue(nint appender, DuckDbValueHandle value);

        // Flushes before freeing; DuckDbAppenderHandle clears first so that releasing never commits rows.
        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_destroy")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState Destroy(ref nint appender);

        // Raw-handle variant for DuckDbAppenderHandle.ReleaseHandle, where the SafeHandle is already closing.
        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_clear")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState ClearRaw(nint appender);
    }
}
