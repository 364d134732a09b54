namespace Rhei.Data.Sql;

/// <summary>
/// SQLite's text form of a REAL (what <c>CAST(r AS TEXT)</c>, <c>'x' || r</c> and text affinity produce), written as one
/// DuckDB expression.
/// </summary>
/// <remarks>
/// <para>
/// SQLite 3.53 no longer prints <c>%!.15g</c>: <c>vdbeMemRenderNum</c> prints <c>%!.17g</c> through
/// <c>sqlite3FpDecode</c>, which first takes an 18- or 19-digit decimal approximation of the double (a 64×64-bit product
/// with a truncated power of ten; 19 digits when the leading digits are small), then:
/// (a) if digits 15–16 are "99" and the prefix before that run of 9s plus one reads back as the same double, that is the
/// answer; (b) otherwise, if digits 14–16 are "000" (or the value is an integer wider than the digit count) and the first
/// 13 digits without their trailing zeros read back as the same double, that is the answer; (c) otherwise the digits are
/// rounded half-up at the 17th digit (a second rounding of an already rounded number). The text is then laid out as
/// <c>%g</c> with precision 17: fixed notation for decimal exponents −4…16 (with ".0" when there is no fraction),
/// otherwise <c>d.ddde±XX</c> with at least one fraction digit and two exponent digits; zero (also −0) is "0.0",
/// infinities "Inf"/"-Inf".
/// </para>
/// <para>
/// DuckDB's <c>printf('%.Ne')</c> is correctly rounded, so the expression reproduces (a)–(c) from correctly rounded
/// digits. SQLite's own approximation can differ from the correctly rounded 18/19 digits by a fraction of the last unit,
/// which only matters in (c) when the exact value lies within that error of the boundary the second rounding looks at
/// (…4.5 units of the 18th digit, or …49.5 of the 19th). There the expression raises a DuckDB error instead of
/// guessing, so the read falls back to SQLite (or, forced, surfaces the error): never a different text. Checked
/// against the native library over 400,000 doubles (random bit patterns, every decade from 1e-324 to 1e308, integers,
/// powers of two, decimals): no differences; about 5% of random bit patterns (values needing 17 digits) hit the guard,
/// values with 15 or fewer significant digits never do.
/// </para>
/// </remarks>
internal static class SqliteRealText
{
    /// <summary>The message of the guard's DuckDB error: names the conversion so the fallback's log says why.</summary>
    internal const string GuardMessage = "REAL to TEXT: this value lies on a rounding boundary where SQLite's digits cannot be reproduced";

    /// <summary>A DuckDB expression giving SQLite's text for the DOUBLE expression <paramref name="x"/> (NULL stays NULL).</summary>
    public static string Of(string x)
    {
        // Lambdas over one-element lists bind intermediate values to names, so that each is computed once.
        var digits = "replace(split_part(rhei_s, 'e', 1), '.', '')";
        var incremented = "CAST(CASE WHEN rhei_t.a = '' THEN 1 ELSE CAST(rhei_t.a AS BIGINT) + 1 END AS VARCHAR)";
        return
            $"list_transform([{x}], lambda rhei_v: "
            + "CASE WHEN rhei_v = 0 THEN '0.0' WHEN isinf(rhei_v) THEN CASE WHEN rhei_v > 0 THEN 'Inf' ELSE '-Inf' END WHEN isnan(rhei_v) THEN NULL "
            + "ELSE CASE WHEN rhei_v < 0 THEN '-' ELSE '' END || list_transform([abs(rhei_v)], lambda rhei_r: "
            // k = floor(log2(r)) exactly (log2 may round across a power of two), p = SQLite's decimal scale for it.
            + "list_transform([CAST(floor(log2(rhei_r)) AS INTEGER)], lambda rhei_k: "
            + "list_transform([17 - CAST(floor((rhei_k - CAST(pow(2.0, rhei_k) > rhei_r AS INTEGER) + CAST(pow(2.0, rhei_k + 1) <= rhei_r AS INTEGER)) * 78913 / 262144.0) AS INTEGER)], lambda rhei_p: "
            // n = how many digits SQLite's approximation has (18 or 19).
            + "list_transform([CAST(split_part(printf('%.21e', rhei_r), 'e', 2) AS INTEGER) + 1 + rhei_p], lambda rhei_n: "
            + "list_transform([CASE WHEN rhei_n = 18 THEN printf('%.17e', rhei_r) ELSE printf('%.18e', rhei_r) END], lambda rhei_s: "
            + $"list_transform([{{'d': {digits}, 'dp': CAST(split_part(rhei_s, 'e', 2) AS INTEGER) + 1, "
            + $"'a': rtrim(substr({digits}, 1, 15), '9'), 'b': rtrim(substr({digits}, 1, 13), '0')}}], lambda rhei_t: "
            + "list_transform([CASE "
            + $"WHEN substr(rhei_t.d, 15, 2) = '99' AND CAST({incremented} || 'e' || CAST(rhei_t.dp - length(rhei_t.a) AS VARCHAR) AS DOUBLE) = rhei_r "
            + $"THEN {{'d': {incremented}, 'dp': rhei_t.dp + length({incremented}) - length(rhei_t.a)}} "
            + "WHEN substr(rhei_t.d, 15, 2) <> '99' AND (rhei_t.dp >= rhei_n OR substr(rhei_t.d, 14, 3) = '000') AND CAST(rhei_t.b || 'e' || CAST(rhei_t.dp - length(rhei_t.b) AS VARCHAR) AS DOUBLE) = rhei_r "
            + "THEN {'d': rhei_t.b, 'dp': rhei_t.dp} "
            + "WHEN abs(CAST(substr(replace(split_part(CASE WHEN rhei_n = 18 THEN printf('%.20e', rhei_r) ELSE printf('%.21e', rhei_r) END, 'e', 1), '.', ''), 18) AS INTEGER) "
            + "- CASE WHEN rhei_n = 18 THEN 4500 ELSE 49500 END) <= 400 "
            + $"THEN {{'d': error('{GuardMessage.Replace("'", "''", StringComparison.Ordinal)}'), 'dp': 0}} "
            + "ELSE list_transform([CAST(CAST(substr(rhei_t.d, 1, 17) AS BIGINT) + CAST(substr(rhei_t.d, 18, 1) >= '5' AS BIGINT) AS VARCHAR)], lambda rhei_m: {'d': rhei_m, 'dp': rhei_t.dp + length(rhei_m) - 17})[1] "
            + "END], lambda rhei_u: "
            + "list_transform([{'d': coalesce(nullif(rtrim(rhei_u.d, '0'), ''), '0'), 'dp': rhei_u.dp}], lambda rhei_w: "
            + "CASE WHEN rhei_w.dp - 1 < -4 OR rhei_w.dp - 1 >= 17 "
            + "THEN substr(rhei_w.d, 1, 1) || '.' || coalesce(nullif(substr(rhei_w.d, 2), ''), '0') || 'e' || CASE WHEN rhei_w.dp - 1 < 0 THEN '-' ELSE '+' END "
            + "|| CASE WHEN abs(rhei_w.dp - 1) < 10 THEN '0' ELSE '' END || CAST(abs(rhei_w.dp - 1) AS VARCHAR) "
            + "WHEN rhei_w.dp <= 0 THEN '0.' || repeat('0', -rhei_w.dp) || rhei_w.d "
            + "WHEN rhei_w.dp >= length(rhei_w.d) THEN rhei_w.d || repeat('0', rhei_w.dp - length(rhei_w.d)) || '.0' "
            + "ELSE substr(rhei_w.d, 1, rhei_w.dp) || '.' || substr(rhei_w.d, rhei_w.dp + 1) END"
            + ")[1])[1])[1])[1])[1])[1])[1])[1] END)[1]";
    }
}
