using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;
using DuckDB.NET.Native;

namespace Rhei.Data.Olap.Native;

internal static partial class DuckDbNativeMethods
{
    /// <summary>
    /// Prepared-statement functions DuckDB.NET.Bindings 1.5.6.1 does not declare, and <c>duckdb_bind_blob</c>
    /// over a pointer (the package's takes a <c>byte[]</c>, which would force a copy of every span bound).
    /// Parameter indices are 1-based.
    /// </summary>
    internal static unsafe partial class Prepared
    {
        [LibraryImport(LibraryName, EntryPoint = "duckdb_prepared_statement_type")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBStatementType StatementType(DuckDBPreparedStatement statement);

        // Caller-owned: the package's marshaller frees it with duckdb_free.
        [LibraryImport(LibraryName, EntryPoint = "duckdb_parameter_name")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        [return: MarshalUsing(typeof(DuckDBCallerOwnedStringMarshaller))]
        internal static partial string? ParameterName(DuckDBPreparedStatement statement, ulong index);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_clear_bindings")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState ClearBindings(DuckDBPreparedStatement statement);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_uhugeint")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState BindUHugeInt(DuckDBPreparedStatement statement, ulong index, DuckDBUHugeInt value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_decimal")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState BindDecimal(DuckDBPreparedStatement statement, ulong index, DuckDBDecimal value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_timestamp_tz")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState BindTimestampTz(DuckDBPreparedStatement statement, ulong index, long micros);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_interval")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState BindInterval(DuckDBPreparedStatement statement, ulong index, DuckDBInterval value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_varchar_length")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState BindVarcharLength(DuckDBPreparedStatement statement, ulong index, byte* utf8, ulong length);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_blob")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDBState BindBlob(DuckDBPreparedStatement statement, ulong index, byte* data, ulong length);
    }
}
