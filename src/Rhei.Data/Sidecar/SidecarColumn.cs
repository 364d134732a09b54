namespace Rhei.Data.Sidecar;

/// <summary>
/// A column of a followed table: its name, the source's type name, and the DuckDB type the mirror gives it
/// (chosen by the source so that no value loses precision: <c>DECIMAL(18,4)</c>, <c>TIMESTAMPTZ</c>, <c>UUID</c>,
/// <c>INTEGER[]</c>; for a SQLite source the SQLite mapping <c>BIGINT</c>/<c>DOUBLE</c>/<c>VARCHAR</c>/<c>BLOB</c>).
/// </summary>
internal sealed record SidecarColumn(string Name, string SourceType, string DuckDbType, bool IsNullable);
