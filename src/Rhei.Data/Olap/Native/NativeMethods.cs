namespace Rhei.Data.Olap.Native;

/// <summary>
/// Source-generated bindings to the DuckDB C API, one nested class per section of <c>duckdb.h</c>.
/// Each method keeps the C symbol in <c>EntryPoint</c> so grepping for the C name finds the binding.
/// </summary>
/// <remarks>
/// <c>char*</c> results are never declared as a plain <see cref="string"/>: the default marshaller would
/// free memory that DuckDB owns. They use <see cref="DuckDbBorrowedStringMarshaller"/> or
/// <see cref="DuckDbOwnedStringMarshaller"/> so that ownership is part of the signature.
/// <c>[SuppressGCTransition]</c> is not applied anywhere: the trivial getters are called once per chunk or
/// per column, never per cell, so the saving would not be measurable and a wrong application hangs the GC.
/// </remarks>
internal static partial class NativeMethods
{
    /// <summary>The one name every import uses; <see cref="DuckDbLibrary"/> resolves it to a file.</summary>
    internal const string LibraryName = "duckdb";
}
