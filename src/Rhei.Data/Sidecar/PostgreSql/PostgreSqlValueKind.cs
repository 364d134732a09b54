namespace Rhei.Data.Sidecar.PostgreSql;

/// <summary>How a PostgreSQL column's values are read and which CLR type <see cref="SidecarChange"/> hands them over as.</summary>
internal enum PostgreSqlValueKind
{
    Int16,
    Int32,
    Int64,
    Float32,
    Float64,

    /// <summary><c>numeric(p,s)</c> with p ≤ 28: <c>decimal</c>.</summary>
    Decimal,

    /// <summary><c>numeric(p,s)</c> with 28 &lt; p ≤ 38: the unscaled <c>BigInteger</c> (the column's scale applies).</summary>
    WideDecimal,

    /// <summary><c>numeric</c> without a precision, or wider than DuckDB's 38 digits: the exact text, VARCHAR.</summary>
    NumericText,
    Boolean,
    Text,
    Bytea,
    Date,
    Timestamp,
    TimestampTz,
    Time,
    Uuid,

    /// <summary><c>json</c>, <c>jsonb</c> and enum labels: text, read through <c>::text</c> by COPY and from the raw bytes in replication.</summary>
    TextCast,

    /// <summary>A one-dimensional array of one of the kinds above that DuckDB has as a list.</summary>
    Array,
}
