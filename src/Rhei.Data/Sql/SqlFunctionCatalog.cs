namespace Rhei.Data.Sql;

/// <summary>Function names the analyser and translator need to recognise, all matched case-insensitively.</summary>
internal static class SqlFunctionCatalog
{
    /// <summary>SQLite's aggregates; <c>min</c>/<c>max</c> are aggregates only with one argument.</summary>
    public static readonly HashSet<string> SqliteAggregates = Set(
        "count", "sum", "avg", "min", "max", "total", "group_concat", "string_agg");

    /// <summary>DuckDB's aggregates beyond SQLite's (all of which DuckDB also has, except total/group_concat).</summary>
    public static readonly HashSet<string> DuckDbAggregates = Set(
        "approx_count_distinct", "approx_quantile", "arg_max", "arg_min", "argmax", "argmin", "max_by", "min_by",
        "array_agg", "list", "bit_and", "bit_or", "bit_xor", "bool_and", "bool_or", "corr", "covar_pop", "covar_samp",
        "entropy", "favg", "first", "last", "any_value", "fsum", "histogram", "kurtosis", "mad", "median", "mode",
        "product", "quantile", "quantile_cont", "quantile_disc", "regr_slope", "regr_intercept", "regr_r2", "skewness",
        "stddev", "stddev_pop", "stddev_samp", "var_pop", "var_samp", "variance", "listagg", "count_if", "sumkahan",
        "bitstring_agg", "reservoir_quantile", "geomean", "geometric_mean");

    /// <summary>Functions SQLite does not have; using one means the statement can only run on DuckDB.</summary>
    public static readonly HashSet<string> DuckDbOnlyFunctions = Set(
        "epoch", "epoch_ms", "epoch_us", "epoch_ns", "date_trunc", "date_part", "date_diff", "datediff", "date_add", "date_sub",
        "datepart", "datetrunc", "make_date", "make_time", "make_timestamp", "to_timestamp", "strptime", "try_strptime",
        "regexp_matches", "regexp_extract", "regexp_extract_all", "regexp_split_to_array", "regexp_full_match",
        "approx_count_distinct", "approx_quantile", "quantile", "quantile_cont", "quantile_disc", "median", "mode",
        "arg_max", "arg_min", "argmax", "argmin", "max_by", "min_by", "array_agg", "list", "histogram", "kurtosis",
        "skewness", "entropy", "bool_and", "bool_or", "count_if", "any_value", "favg", "fsum", "product", "mad",
        "list_value", "list_aggregate", "list_sort", "list_distinct", "list_contains", "list_transform", "list_filter",
        "array_length", "unnest", "generate_series", "struct_pack", "struct_extract", "struct_insert", "map",
        "map_keys", "map_values", "string_split", "str_split", "split_part", "starts_with", "ends_with", "contains",
        "levenshtein", "jaro_winkler_similarity", "md5", "sha256", "hash", "try_cast", "read_csv", "read_csv_auto",
        "read_parquet", "read_json", "read_json_auto", "dayname", "monthname", "yearweek", "isodow", "isoyear",
        "last_day", "age", "time_bucket", "greatest", "least", "list_has", "len", "array_slice", "bit_count");

    /// <summary>Table-valued functions usable as FROM items in either engine.</summary>
    public static readonly HashSet<string> TableFunctions = Set(
        "json_each", "json_tree", "pragma_table_info", "pragma_index_list", "pragma_table_xinfo", "pragma_foreign_key_list",
        "generate_series", "range", "read_csv", "read_csv_auto", "read_parquet", "read_json", "read_json_auto", "unnest",
        "glob", "duckdb_tables", "duckdb_columns");

    private static HashSet<string> Set(params string[] names) => new(names, StringComparer.OrdinalIgnoreCase);

    /// <summary>True when a call of <paramref name="name"/> with <paramref name="argumentCount"/> arguments aggregates rows.</summary>
    public static bool IsAggregate(string name, int argumentCount)
    {
        if (name.Equals("min", StringComparison.OrdinalIgnoreCase) || name.Equals("max", StringComparison.OrdinalIgnoreCase))
        {
            return argumentCount == 1;
        }

        return SqliteAggregates.Contains(name) || DuckDbAggregates.Contains(name);
    }
}
