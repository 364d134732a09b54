using System.Runtime.CompilerServices;

// Lets our source-generated imports pass DuckDB.NET.Bindings' value structs (DuckDBHugeInt, DuckDBDecimal,
// DuckDBInterval …) by value, as the package itself does: they are unmanaged, but without this attribute the
// generator refuses any struct it cannot prove blittable under runtime marshalling. Nothing in this assembly
// relies on runtime marshalling (every import is [LibraryImport] with explicit marshallers).
[assembly: DisableRuntimeMarshalling]
