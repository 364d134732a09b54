namespace Rhei.Data.Olap.Native;

/// <summary><c>duckdb_state</c>, returned by most C-API calls.</summary>
internal enum DuckDbState
{
    Success = 0,
    Error = 1,
}
