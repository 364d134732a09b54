namespace Rhei.Data.Olap.Native;

/// <summary>
/// The few DuckDB C-API declarations Rhei keeps beside DuckDB.NET.Bindings' <c>NativeMethods</c>: functions the
/// package does not declare, and the appender's per-value fast path (see docs/architecture.md for the list and
/// the reason of each). Everything else calls the package. Each method keeps the C symbol in
/// <c>EntryPoint</c> so grepping for the C name finds the binding.
/// </summary>
/// <remarks>
/// The library name is the package's ("duckdb"): the runtime resolves it from the package's
/// <c>runtimes/&lt;rid&gt;/native/</c> asset through the normal probing (deps.json, publish folder), for these
/// imports exactly as for the package's own.
/// </remarks>
internal static partial class DuckDbNativeMethods
{
    internal const string LibraryName = "duckdb";
}
