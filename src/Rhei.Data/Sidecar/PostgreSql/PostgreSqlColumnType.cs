namespace Rhei.Data.Sidecar.PostgreSql;

/// <summary>
/// The mapping of one PostgreSQL column: how values are read (<see cref="Kind"/>, and <see cref="ElementKind"/> for
/// arrays), the DuckDB type the mirror gives the column, and the scale of a numeric (for <see cref="PostgreSqlValueKind.WideDecimal"/>).
/// </summary>
internal sealed record PostgreSqlColumnType(PostgreSqlValueKind Kind, PostgreSqlValueKind? ElementKind, string DuckDbType, int Scale)
{
    /// <summary>Whether the binary form leads with jsonb's version byte.</summary>
    public bool IsJsonb { get; init; }

    /// <summary>Whether the initial COPY selects the column as <c>::text</c> (numeric, json, jsonb, enum: their exact text).</summary>
    public bool CopiedAsText => Kind is PostgreSqlValueKind.Decimal or PostgreSqlValueKind.WideDecimal or PostgreSqlValueKind.NumericText or PostgreSqlValueKind.TextCast;
}
