namespace Rhei.Data.Olap;

/// <summary>The <c>duckdb_statement_type</c> values Rhei tells apart: statements that only read.</summary>
internal enum DuckDbStatementType
{
    Invalid = 0,
    Select = 1,
    Explain = 4,
}
