using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

namespace Rhei.Data.Olap.Native;

internal static partial class NativeMethods
{
    /// <summary>Splitting a multi-statement string. Statement indices here are 0-based.</summary>
    internal static partial class Extract
    {
        // Returns the statement count; 0 means failure (read the error) or an empty string (no error).
        [LibraryImport(LibraryName, EntryPoint = "duckdb_extract_statements", StringMarshalling = StringMarshalling.Utf8)]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial ulong ExtractStatements(DuckDbConnectionHandle connection, string query, out DuckDbExtractedStatementsHandle statements);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_prepare_extracted_statement")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial DuckDbState PrepareExtractedStatement(
            DuckDbConnectionHandle connection, DuckDbExtractedStatementsHandle statements, ulong index, out DuckDbPreparedStatementHandle statement);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_extract_statements_error")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        [return: MarshalUsing(typeof(DuckDbBorrowedStringMarshaller))]
        internal static partial string? ExtractStatementsError(DuckDbExtractedStatementsHandle statements);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_destroy_extracted")]
        [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
        internal static partial void DestroyExtracted(ref nint statements);
    }
}
