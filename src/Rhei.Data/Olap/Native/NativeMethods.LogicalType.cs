using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

namespace Rhei.Data.Olap.Native;

internal static partial class NativeMethods
{
    /// <summary>Inspecting logical types (decimal width and scale, enum storage and dictionary).</summary>
    internal static partial class LogicalType
    {
        [LibraryImport(LibraryName, EntryPoint = "duckdb_get_type_id")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbTypeId GetTypeId(DuckDbLogicalTypeHandle type);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_decimal_width")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial byte DecimalWidth(DuckDbLogicalTypeHandle type);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_decimal_scale")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial byte DecimalScale(DuckDbLogicalTypeHandle type);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_decimal_internal_type")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbTypeId DecimalInternalType(DuckDbLogicalTypeHandle type);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_enum_internal_type")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbTypeId EnumInternalType(DuckDbLogicalTypeHandle type);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_enum_dictionary_size")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial uint EnumDictionarySize(DuckDbLogicalTypeHandle type);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_enum_dictionary_value")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        [return: MarshalUsing(typeof(DuckDbOwnedStringMarshaller))]
        internal static partial string? EnumDictionaryValue(DuckDbLogicalTypeHandle type, ulong index);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_destroy_logical_type")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial void DestroyLogicalType(ref nint type);
    }
}
