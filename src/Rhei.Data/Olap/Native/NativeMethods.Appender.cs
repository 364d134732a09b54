using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Rhei.Data.Olap.Native;

internal static partial class NativeMethods
{
    /// <summary>The appender: row-by-row bulk insert. After a failed call read <see cref="AppenderErrorData"/>.</summary>
    internal static unsafe partial class Appender
    {
        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_create_ext", StringMarshalling = StringMarshalling.Utf8)]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState CreateExt(DuckDbConnectionHandle connection, string? catalog, string? schema, string table, out DuckDbAppenderHandle appender);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_column_count")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial ulong ColumnCount(DuckDbAppenderHandle appender);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_end_row")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState EndRow(DuckDbAppenderHandle appender);

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
        internal static partial DuckDbState AppendNull(DuckDbAppenderHandle appender);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_bool")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendBool(DuckDbAppenderHandle appender, [MarshalAs(UnmanagedType.U1)] bool value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_int8")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendInt8(DuckDbAppenderHandle appender, sbyte value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_int16")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendInt16(DuckDbAppenderHandle appender, short value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_int32")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendInt32(DuckDbAppenderHandle appender, int value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_int64")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendInt64(DuckDbAppenderHandle appender, long value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_uint8")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendUInt8(DuckDbAppenderHandle appender, byte value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_uint16")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendUInt16(DuckDbAppenderHandle appender, ushort value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_uint32")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendUInt32(DuckDbAppenderHandle appender, uint value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_uint64")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendUInt64(DuckDbAppenderHandle appender, ulong value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_hugeint")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendHugeInt(DuckDbAppenderHandle appender, DuckDbHugeInt value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_uhugeint")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendUHugeInt(DuckDbAppenderHandle appender, DuckDbUHugeInt value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_float")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendFloat(DuckDbAppenderHandle appender, float value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_double")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendDouble(DuckDbAppenderHandle appender, double value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_date")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendDate(DuckDbAppenderHandle appender, int days);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_time")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendTime(DuckDbAppenderHandle appender, long micros);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_timestamp")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendTimestamp(DuckDbAppenderHandle appender, long micros);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_interval")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendInterval(DuckDbAppenderHandle appender, DuckDbNativeInterval value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_varchar_length")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendVarcharLength(DuckDbAppenderHandle appender, byte* utf8, ulong length);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_blob")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendBlob(DuckDbAppenderHandle appender, byte* data, ulong length);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_value")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState AppendValue(DuckDbAppenderHandle appender, DuckDbValueHandle value);

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
