using System.Globalization;
using System.Text;

namespace Rhei.Data.Sql;

/// <summary>Literals, identifiers and parameters as DuckDB reads them, and table references rewritten over the mirror's history.</summary>
internal sealed partial class SqlTranslationWriter
{
    private string Parameter(int i)
    {
        var parameter = _parameterAt[i];
        if (!_positions.TryGetValue(parameter.Index, out var position))
        {
            _parameters.Add(parameter);
            position = _parameters.Count;
            _positions[parameter.Index] = position;
        }

        return "$" + position.ToString(CultureInfo.InvariantCulture);
    }

    // DuckDB 1.5's reserved and type_function keywords (duckdb_keywords()) that SQLite accepts as plain names.
    private static readonly HashSet<string> s_duckDbOnlyKeywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "analyse", "anti", "any", "array", "asof", "asymmetric", "at", "authorization", "both", "collation", "columns",
        "concurrently", "describe", "fetch", "freeze", "lambda", "lateral", "leading", "map", "only", "overlaps",
        "pivot_longer", "pivot_wider", "placing", "positional", "semi", "show", "similar", "some", "struct",
        "summarize", "symmetric", "tablesample", "trailing", "try_cast", "unpack", "variadic", "verbose",
    };

    private bool IsDuckDbSyntaxWord(int i)
        => (i == 0 && (Is(i, "describe") || Is(i, "summarize"))) || (Is(i, "similar") && i + 1 < _t.Length && Is(i + 1, "to"));

    internal static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private string BlobLiteral(int i)
    {
        var hex = _text.AsSpan(_t[i].Start + 2, Math.Max(0, _t[i].Length - 3));
        if (hex.Length % 2 != 0)
        {
            throw Refuse("malformed blob literal");
        }

        var sb = new StringBuilder(hex.Length * 2 + 10).Append('\'');
        for (var k = 0; k < hex.Length; k += 2)
        {
            sb.Append("\\x").Append(char.ToUpperInvariant(hex[k])).Append(char.ToUpperInvariant(hex[k + 1]));
        }

        return sb.Append("'::BLOB").ToString();
    }

    /// <summary>SQLite reads 1.5 as a REAL (double); DuckDB would read it as DECIMAL and compute exactly, so force DOUBLE.</summary>
    private static string NumberLiteral(string raw)
    {
        var clean = raw.Contains('_', StringComparison.Ordinal) ? raw.Replace("_", string.Empty, StringComparison.Ordinal) : raw;
        if (clean.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            // SQLite hex literals are 64-bit two's complement.
            return unchecked((long)ulong.Parse(clean.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture);
        }

        if (clean.Contains('.', StringComparison.Ordinal) && clean.AsSpan().IndexOfAny('e', 'E') < 0)
        {
            return clean + "::DOUBLE";
        }

        return clean;
    }

    // ---- table references ----------------------------------------------------------------

    private void EmitTableRewrite(SqlTableReference table, StringBuilder sb)
    {
        var name = table.Schema is null ? QuoteIfNeeded(table.FirstToken) : $"{QuoteIfNeeded(table.FirstToken)}.{QuoteIfNeeded(table.FirstToken + 2)}";
        var alias = table.AliasToken >= 0 ? QuoteIfNeeded(table.AliasToken) : QuoteIfNeeded(table.NameEndToken - 1);
        if (table.Temporal is { } temporal)
        {
            var predicate = temporal.Kind switch
            {
                SqlTemporalKind.AsOf => AsOf(Instant(temporal.From)),
                SqlTemporalKind.All => null,
                SqlTemporalKind.FromTo => $"_rhei_valid_from < {Instant(temporal.To)} AND (_rhei_valid_to IS NULL OR _rhei_valid_to > {Instant(temporal.From)})",
                SqlTemporalKind.Between => $"_rhei_valid_from <= {Instant(temporal.To)} AND (_rhei_valid_to IS NULL OR _rhei_valid_to > {Instant(temporal.From)})",
                _ => $"_rhei_valid_from >= {Instant(temporal.From)} AND _rhei_valid_to IS NOT NULL AND _rhei_valid_to <= {Instant(temporal.To)}",
            };
            sb.Append("(SELECT * FROM ").Append(name);
            if (predicate is not null)
            {
                sb.Append(" WHERE ").Append(predicate);
            }

            sb.Append(") AS ").Append(alias);
            return;
        }

        if (_stmt.UsesPeriodColumns)
        {
            // Naming a period column (what users of rhei write: WHERE _rhei_valid_to IS NULL) reads the history with
            // those columns visible, as FOR SYSTEM_TIME ALL does; the query's own predicates choose the versions.
            sb.Append("(SELECT * FROM ").Append(name).Append(") AS ").Append(alias);
            return;
        }

        sb.Append("(SELECT * EXCLUDE (").Append(PeriodColumns).Append(") FROM ").Append(name)
          .Append(" WHERE _rhei_valid_to IS NULL) AS ").Append(alias);
    }

    private static string AsOf(string x) => $"_rhei_valid_from <= {x} AND (_rhei_valid_to IS NULL OR _rhei_valid_to > {x})";

    private string QuoteIfNeeded(int i) => _t[i].Kind == SqlTokenKind.QuotedIdentifier ? QuoteIdentifier(_t[i].Unquote(_text)) : Raw(i);

    /// <summary>An instant in epoch milliseconds: numbers and parameters as given, date/time text converted.</summary>
    private string Instant((int Start, int End) range)
    {
        var (start, end) = range;
        if (end == start + 1 && IsKind(start, SqlTokenKind.String))
        {
            return $"epoch_ms(CAST({Raw(start)} AS TIMESTAMP))";
        }

        if (end == start + 2 && IsKind(start + 1, SqlTokenKind.String) && (Is(start, "TIMESTAMP") || Is(start, "DATE")))
        {
            return $"epoch_ms(CAST({Raw(start + 1)} AS TIMESTAMP))";
        }

        var expr = Emit(start, end);
        return end == start + 1 ? expr : "(" + expr + ")";
    }
}
