using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

namespace Rhei.Data.Olap.Native;

internal static partial class NativeMethods
{
    /// <summary>Prepared statements and parameter binding. Parameter indices are 1-based.</summary>
    internal static unsafe partial class Prepared
    {
        [LibraryImport(LibraryName, EntryPoint = "duckdb_prepare", StringMarshalling = StringMarshalling.Utf8)]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState Prepare(DuckDbConnectionHandle connection, string query, out DuckDbPreparedStatementHandle statement);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_destroy_prepare")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial void DestroyPrepare(ref nint statement);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_prepare_error")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        [return: MarshalUsing(typeof(DuckDbBorrowedStringMarshaller))]
        internal static partial string? PrepareError(DuckDbPreparedStatementHandle statement);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_nparams")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial ulong ParameterCount(DuckDbPreparedStatementHandle statement);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_parameter_name")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        [return: MarshalUsing(typeof(DuckDbOwnedStringMarshaller))]
        internal static partial string? ParameterName(DuckDbPreparedStatementHandle statement, ulong index);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_prepared_statement_type")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbStatementType StatementType(DuckDbPreparedStatementHandle statement);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_clear_bindings")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState ClearBindings(DuckDbPreparedStatementHandle statement);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_execute_prepared")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState ExecutePrepared(DuckDbPreparedStatementHandle statement, DuckDbResultHandle result);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_value")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState BindValue(DuckDbPreparedStatementHandle statement, ulong index, DuckDbValueHandle value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_boolean")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState BindBoolean(DuckDbPreparedStatementHandle statement, ulong index, [MarshalAs(UnmanagedType.U1)] bool value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_int8")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState BindInt8(DuckDbPreparedStatementHandle statement, ulong index, sbyte value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_int16")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState BindInt16(DuckDbPreparedStatementHandle statement, ulong index, short value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_int32")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState BindInt32(DuckDbPreparedStatementHandle statement, ulong index, int value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_int64")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState BindInt64(DuckDbPreparedStatementHandle statement, ulong index, long value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_uint8")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState BindUInt8(DuckDbPreparedStatementHandle statement, ulong index, byte value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_uint16")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState BindUInt16(DuckDbPreparedStatementHandle statement, ulong index, ushort value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_uint32")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState BindUInt32(DuckDbPreparedStatementHandle statement, ulong index, uint value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_uint64")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState BindUInt64(DuckDbPreparedStatementHandle statement, ulong index, ulong value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_hugeint")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState BindHugeInt(DuckDbPreparedStatementHandle statement, ulong index, DuckDbHugeInt value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_uhugeint")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState BindUHugeInt(DuckDbPreparedStatementHandle statement, ulong index, DuckDbUHugeInt value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_decimal")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState BindDecimal(DuckDbPreparedStatementHandle statement, ulong index, DuckDbNativeDecimal value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_float")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState BindFloat(DuckDbPreparedStatementHandle statement, ulong index, float value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_double")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState BindDouble(DuckDbPreparedStatementHandle statement, ulong index, double value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_date")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState BindDate(DuckDbPreparedStatementHandle statement, ulong index, int days);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_time")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState BindTime(DuckDbPreparedStatementHandle statement, ulong index, long micros);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_timestamp")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState BindTimestamp(DuckDbPreparedStatementHandle statement, ulong index, long micros);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_timestamp_tz")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState BindTimestampTz(DuckDbPreparedStatementHandle statement, ulong index, long micros);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_interval")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState BindInterval(DuckDbPreparedStatementHandle statement, ulong index, DuckDbNativeInterval value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_varchar_length")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState BindVarcharLength(DuckDbPreparedStatementHandle statement, ulong index, byte* utf8, ulong length);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_blob")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState BindBlob(DuckDbPreparedStatementHandle statement, ulong index, byte* data, ulong length);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_null")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState BindNull(DuckDbPreparedStatementHandle statement, ulong index);
    }
}
