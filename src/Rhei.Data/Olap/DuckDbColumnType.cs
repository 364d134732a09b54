namespace Rhei.Data.Olap;

/// <summary>A result column's DuckDB type; width and scale are zero unless <see cref="Id"/> is DECIMAL.</summary>
internal readonly record struct DuckDbColumnType(DuckDbTypeId Id, byte DecimalWidth = 0, byte DecimalScale = 0)
{
    /// <summary>DuckDB's SQL spelling, e.g. <c>BIGINT</c>, <c>DECIMAL(18,3)</c>, <c>TIMESTAMP WITH TIME ZONE</c>.</summary>
    public string TypeName => Id switch
    {
        DuckDbTypeId.Decimal => $"DECIMAL({DecimalWidth},{DecimalScale})",
        DuckDbTypeId.Boolean => "BOOLEAN",
        DuckDbTypeId.TinyInt => "TINYINT",
        DuckDbTypeId.SmallInt => "SMALLINT",
        DuckDbTypeId.Integer => "INTEGER",
        DuckDbTypeId.BigInt => "BIGINT",
        DuckDbTypeId.UTinyInt => "UTINYINT",
        DuckDbTypeId.USmallInt => "USMALLINT",
        DuckDbTypeId.UInteger => "UINTEGER",
        DuckDbTypeId.UBigInt => "UBIGINT",
        DuckDbTypeId.HugeInt => "HUGEINT",
        DuckDbTypeId.UHugeInt => "UHUGEINT",
        DuckDbTypeId.Float => "FLOAT",
        DuckDbTypeId.Double => "DOUBLE",
        DuckDbTypeId.Varchar => "VARCHAR",
        DuckDbTypeId.Blob => "BLOB",
        DuckDbTypeId.Date => "DATE",
        DuckDbTypeId.Time => "TIME",
        DuckDbTypeId.TimeNs => "TIME_NS",
        DuckDbTypeId.TimeTz => "TIME WITH TIME ZONE",
        DuckDbTypeId.Timestamp => "TIMESTAMP",
        DuckDbTypeId.TimestampS => "TIMESTAMP_S",
        DuckDbTypeId.TimestampMs => "TIMESTAMP_MS",
        DuckDbTypeId.TimestampNs => "TIMESTAMP_NS",
        DuckDbTypeId.TimestampTz => "TIMESTAMP WITH TIME ZONE",
        DuckDbTypeId.Interval => "INTERVAL",
        DuckDbTypeId.Uuid => "UUID",
        DuckDbTypeId.Enum => "ENUM",
        DuckDbTypeId.List => "LIST",
        DuckDbTypeId.Struct => "STRUCT",
        DuckDbTypeId.Map => "MAP",
        DuckDbTypeId.Array => "ARRAY",
        DuckDbTypeId.Union => "UNION",
        DuckDbTypeId.Bit => "BIT",
        DuckDbTypeId.BigNum => "BIGNUM",
        DuckDbTypeId.SqlNull => "NULL",
        _ => Id.ToString().ToUpperInvariant(),
    };

    public override string ToString() => TypeName;
}
