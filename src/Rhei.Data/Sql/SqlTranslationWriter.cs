using System.Globalization;
using System.Text;
using Rhei.Data.Sql.Syntax;

namespace Rhei.Data.Sql;

/// <summary>
/// One translation: walks the statement's tokens, copying what DuckDB reads the same way and
/// rewriting or refusing the rest. Function calls are translated argument by argument so that
/// rewrites nest (<c>upper(ifnull(a, b))</c>). Structure (matching parentheses, CASE/END pairs, calls and their
/// arguments, FROM items, CTE and alias scopes) comes from the statement's shared <see cref="SqlSyntax"/>; nothing here
/// scans for it.
/// </summary>
internal sealed partial class SqlTranslationWriter
{
    private const string Upper = "'ABCDEFGHIJKLMNOPQRSTUVWXYZ'";
    private const string Lower = "'abcdefghijklmnopqrstuvwxyz'";
    private const string PeriodColumns = "_rhei_valid_from, _rhei_valid_to, _rhei_operation";

    /// <summary>Functions DuckDB computes exactly as SQLite does for SQLite's argument types.</summary>
    private static readonly HashSet<string> s_same = new(StringComparer.OrdinalIgnoreCase)
    {
        "abs", "coalesce", "nullif", "trim", "ltrim", "rtrim", "replace", "instr", "substr", "substring", "length",
        "count", "avg", "sum", "min", "max", "unicode",
        "row_number", "rank", "dense_rank", "ntile", "lag", "lead", "first_value", "last_value", "nth_value", "percent_rank", "cume_dist",
        "sqrt", "exp", "ln", "log", "log10", "log2", "sin", "cos", "tan", "asin", "acos", "atan", "atan2",
        "pi", "pow", "power", "degrees", "radians", "sign",
    };

    /// <summary>SQLite functions whose result depends on storage classes, connection state or formatting DuckDB does not share.</summary>
    private static readonly Dictionary<string, string> s_refused = new(StringComparer.OrdinalIgnoreCase)
    {
        ["typeof"] = "typeof() names SQLite storage classes",
        ["hex"] = "hex() depends on SQLite storage classes",
        ["printf"] = "printf() formatting differs",
        ["format"] = "format() formatting differs",
        ["quote"] = "quote() renders SQLite literals",
        ["random"] = "random() is not reproducible across engines",
        ["randomblob"] = "randomblob() is not reproducible across engines",
        ["changes"] = "changes() is SQLite connection state",
        ["total_changes"] = "total_changes() is SQLite connection state",
        ["last_insert_rowid"] = "last_insert_rowid() is SQLite connection state",
        ["like"] = "like() function form",
        ["regexp"] = "regexp() is a user function in SQLite",
        ["group_concat"] = "group_concat() concatenates in scan order (DISTINCT: first occurrences), which DuckDB's string_agg does not keep",
        ["string_agg"] = "string_agg() concatenates in scan order, which DuckDB does not keep",
    };

    /// <summary>Keywords the translator treats as SQLite function names when called.</summary>
    private static readonly HashSet<string> s_keywordCalls = new(StringComparer.OrdinalIgnoreCase)
    {
        "CAST", "REPLACE", "LIKE", "GLOB", "RANGE", "REGEXP", "MATCH",
    };

    private readonly SqlStatement _stmt;
    private readonly TranslateOptions _options;
    private readonly string _text;
    private readonly SqlToken[] _t;
    private readonly SqlSyntax _syntax;
    private readonly Dictionary<int, SqlTableReference> _rewrites = [];
    private readonly Dictionary<int, int> _positions = [];
    private readonly List<SqlParameterRef> _parameters = [];
    private readonly Dictionary<int, SqlParameterRef> _parameterAt = [];
    private int _depth;

    public SqlTranslationWriter(SqlStatement stmt, in TranslateOptions options)
    {
        _stmt = stmt;
        _options = options;
        _text = stmt.CommandText;
        _t = stmt.Tokens;
        _syntax = stmt.Syntax;
        var p = 0;
        for (var i = 0; i < _t.Length; i++)
        {
            if (_t[i].Kind == SqlTokenKind.Parameter)
            {
                _parameterAt[i] = stmt.Parameters[p++];
            }
        }

        foreach (var table in stmt.Tables)
        {
            if (table.Temporal is not null || (options.TemporalMirror && (options.IsTemporalTable?.Invoke(table.QualifiedName) ?? true)))
            {
                _rewrites[table.FirstToken] = table;
            }
        }
    }

    public TranslatedStatement Translate()
    {
        if (SqlSyntaxCheck.Problem(_stmt) is { } syntax)
        {
            throw Refuse(syntax);
        }

        foreach (var table in _stmt.Tables)
        {
            // SQLite's catalog and Rhei's bookkeeping have no faithful counterpart in the mirror (DuckDB has its own sqlite_master).
            var name = table.Name;
            if (name.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase) || name.StartsWith("_rhei_", StringComparison.OrdinalIgnoreCase))
            {
                throw Refuse($"'{table.QualifiedName}' is SQLite's or Rhei's own table, which the mirror does not hold");
            }
        }

        foreach (var function in _stmt.TableFunctions)
        {
            if (function.StartsWith("pragma_", StringComparison.Ordinal) || function.StartsWith("sqlite_", StringComparison.Ordinal))
            {
                throw Refuse($"{function}() reads SQLite's own catalog");
            }
        }

        CheckCompoundsAndValues();
        var sb = new StringBuilder(_stmt.Length + 32);
        Emit(0, _t.Length - 1, sb);
        return new TranslatedStatement(sb.ToString(), _parameters);
    }

    // ---- helpers -------------------------------------------------------------------------

    private bool Is(int i, string word) => i >= 0 && i < _t.Length && _t[i].Is(_text, word);

    private bool IsPunct(int i, char c) => i >= 0 && i < _t.Length && _t[i].Kind == SqlTokenKind.Punctuation && _text[_t[i].Start] == c;

    private bool IsKind(int i, SqlTokenKind kind) => i >= 0 && i < _t.Length && _t[i].Kind == kind;

    private string Raw(int i) => _t[i].Text(_text);

    private static SqlTranslationRefusedException Refuse(string reason) => new(reason);

    private string Emit(int from, int to)
    {
        var sb = new StringBuilder();
        Emit(from, to, sb);
        return sb.ToString();
    }

    /// <summary>
    /// A call the translator rewrites: the shared parse's call (<see cref="SqlSyntax.IsCall"/>), and for a keyword only the
    /// SQLite functions spelled as keywords. LEFT(…), RIGHT(…), FIRST(…) and LAST(…) exist only in DuckDB, which alone runs
    /// them (the analyser marks them DuckDB-only), so they are copied as written.
    /// </summary>
    private bool IsCall(int nameIndex)
        => _syntax.IsCall(nameIndex) && (_t[nameIndex].Kind != SqlTokenKind.Keyword || s_keywordCalls.Contains(Raw(nameIndex)));

    // ---- the walk ------------------------------------------------------------------------

    /// <summary>Emits tokens [from, to) translated; one space stands for any whitespace or comment between tokens.</summary>
    private void Emit(int from, int to, StringBuilder sb)
    {
        // Each nested construct (parentheses, CASE, a call's arguments) emits through here: bound the depth so that
        // 10,000 nested CASEs are refused (SQLite answers, or refuses by its own depth limit) instead of overflowing the stack.
        if (++_depth > SqlWorkLimit.MaxDepth)
        {
            throw Refuse($"expressions are nested more than {SqlWorkLimit.MaxDepth} levels deep");
        }

        try
        {
            EmitRange(from, to, sb);
        }
        finally
        {
            _depth--;
        }
    }

    private void EmitRange(int from, int to, StringBuilder sb)
    {
        var starts = new int[to - from + 1];
        for (var i = from; i < to; i++)
        {
            SqlWorkLimit.Step();
            if (i > from && _t[i].Start > _t[i - 1].End && sb.Length > 0 && sb[^1] != ' ' && sb[^1] != '(')
            {
                sb.Append(' ');
            }

            starts[i - from] = sb.Length;
            i = EmitToken(i, from, to, sb, starts);
        }
    }

    /// <summary>Emits the construct starting at token <paramref name="i"/>; returns the index of its last token.</summary>
    private int EmitToken(int i, int from, int to, StringBuilder sb, int[] starts)
    {
        var token = _t[i];
        if (_rewrites.TryGetValue(i, out var table))
        {
            EmitTableRewrite(table, sb);
            return table.EndToken - 1;
        }

        switch (token.Kind)
        {
            case SqlTokenKind.Parameter:
                sb.Append(Parameter(i));
                return i;
            case SqlTokenKind.QuotedIdentifier:
                sb.Append(QuoteIdentifier(token.Unquote(_text)));
                return i;
            case SqlTokenKind.Blob:
                sb.Append(BlobLiteral(i));
                return i;
            case SqlTokenKind.Number:
                sb.Append(NumberLiteral(Raw(i)));
                return i;
            case SqlTokenKind.Operator when Raw(i) == "||":
                return EmitConcat(i, from, to, sb, starts);
            case SqlTokenKind.Operator:
                return EmitOperator(i, from, to, sb);
            case SqlTokenKind.Identifier when IsCall(i):
            case SqlTokenKind.Keyword when IsCall(i):
                sb.Append(TranslateCall(i));
                return _syntax.Match(i + 1);
            case SqlTokenKind.Identifier:
                if (Is(i, "rowid") || Is(i, "_rowid_"))
                {
                    throw Refuse("rowid differs between SQLite and the mirror");
                }

                // A name SQLite leaves free may be a keyword to DuckDB (at, map, struct…): quote it, unless it is used as
                // DuckDB's own syntax (DESCRIBE t, SUMMARIZE t, x SIMILAR TO p), which only DuckDB runs anyway.
                sb.Append(s_duckDbOnlyKeywords.Contains(Raw(i)) && !IsDuckDbSyntaxWord(i) ? QuoteIdentifier(Raw(i)) : Raw(i));
                return i;
            case SqlTokenKind.Keyword:
                return EmitKeyword(i, from, to, sb, starts);
            default:
                sb.Append(Raw(i));
                return i;
        }
    }

    private int EmitOperator(int i, int from, int to, StringBuilder sb)
    {
        var op = Raw(i);
        switch (op)
        {
            case "==" when !IsNumberVersusText(i):
                sb.Append('=');
                break;
            case "==":
                throw Refuse($"comparison of a number with a text literal ({Raw(i - 1)} {op} {Raw(i + 1)})");
            case "->" or "->>":
                throw Refuse($"JSON operator {op} returns different types in DuckDB");
            case "=" or "<>" or "!=" or "<" or ">" or "<=" or ">=" when IsNumberVersusText(i):
                // SQLite orders every number before every text when neither side has affinity; DuckDB casts the text.
                throw Refuse($"comparison of a number with a text literal ({Raw(i - 1)} {op} {Raw(i + 1)})");
            case "%" when !IsIntegerModulo(i, from, to):
                // SQLite truncates REAL operands to integers first; DuckDB takes the real remainder.
                throw Refuse("% whose operands are not both known integers (SQLite truncates REAL operands, DuckDB does not)");
            default:
                sb.Append(op);
                break;
        }

        return i;
    }

    private bool IsNumberVersusText(int i)
        => IsKind(i - 1, SqlTokenKind.Number) && IsKind(i + 1, SqlTokenKind.String)
           || IsKind(i - 1, SqlTokenKind.String) && IsKind(i + 1, SqlTokenKind.Number);

    private bool IsIntegerLiteral(int i)
        => IsKind(i, SqlTokenKind.Number) && (Raw(i).AsSpan().IndexOfAny('.', 'e', 'E') < 0 || Raw(i).StartsWith("0x", StringComparison.OrdinalIgnoreCase));

    private int EmitKeyword(int i, int from, int to, StringBuilder sb, int[] starts)
    {
        var word = Raw(i).ToUpperInvariant();
        switch (word)
        {
            case "NOT" when Is(i + 1, "LIKE"):
                return EmitLike(i + 1, negated: true, from, to, sb, starts);
            case "LIKE":
                return EmitLike(i, negated: false, from, to, sb, starts);
            case "REGEXP" or "MATCH":
                throw Refuse($"{word} is a user function in SQLite");
            case "NOT" when Is(i + 1, "REGEXP") || Is(i + 1, "MATCH"):
                throw Refuse($"{Raw(i + 1).ToUpperInvariant()} is a user function in SQLite");
            case "COLLATE":
                if (Is(i + 1, "BINARY") || IsKind(i + 1, SqlTokenKind.Identifier) && Raw(i + 1).Equals("binary", StringComparison.OrdinalIgnoreCase))
                {
                    // BINARY is DuckDB's default comparison too.
                    TrimTrailingSpace(sb);
                    return i + 1;
                }

                throw Refuse($"COLLATE {(i + 1 < _t.Length ? Raw(i + 1) : string.Empty)} has no DuckDB equivalent");
            case "ISNULL":
                sb.Append("IS NULL");
                return i;
            case "NOTNULL":
                sb.Append("IS NOT NULL");
                return i;
            case "NOT" when Is(i + 1, "NULL") && !Is(i - 1, "IS"):
                // SQLite's postfix "x NOT NULL".
                sb.Append("IS NOT NULL");
                return i + 1;
            case "IS":
                return EmitIs(i, sb);
            case "LIMIT":
                return EmitLimit(i, to, sb);
            case "GLOB" when !IsPlainGlobPattern(i + 1, i + 2):
                throw Refuse("GLOB pattern with ?, [ or a non-literal pattern (DuckDB matches bytes and spells negation [!])");
            case "CASE":
                CheckCase(i);
                sb.Append(Raw(i));
                return i;
            case "CURRENT_DATE" or "CURRENT_TIME" or "CURRENT_TIMESTAMP":
                throw Refuse($"{word} depends on the engine's clock and time zone");
            default:
                sb.Append(Raw(i));
                return i;
        }
    }

    private static void TrimTrailingSpace(StringBuilder sb)
    {
        while (sb.Length > 0 && sb[^1] == ' ')
        {
            sb.Length--;
        }
    }

    /// <summary>SQLite's IS / IS NOT compare any values null-safely; DuckDB spells that IS [NOT] DISTINCT FROM.</summary>
    private int EmitIs(int i, StringBuilder sb)
    {
        var negated = Is(i + 1, "NOT");
        var next = negated ? i + 2 : i + 1;
        if (Is(next, "NULL") || Is(next, "DISTINCT") || Is(next, "TRUE") || Is(next, "FALSE")
            || IsKind(next, SqlTokenKind.Identifier) && (Raw(next).Equals("true", StringComparison.OrdinalIgnoreCase) || Raw(next).Equals("false", StringComparison.OrdinalIgnoreCase)))
        {
            sb.Append(Raw(i));
            return i;
        }

        sb.Append(negated ? "IS DISTINCT FROM" : "IS NOT DISTINCT FROM");
        return negated ? i + 1 : i;
    }

    /// <summary>LIMIT a, b means OFFSET a LIMIT b; a negative limit means no limit.</summary>
    private int EmitLimit(int i, int to, StringBuilder sb)
    {
        var end = i + 1;
        var comma = -1;
        var offset = -1;
        while (end < to && !IsPunct(end, ')') && !IsPunct(end, ';'))
        {
            if (IsPunct(end, '('))
            {
                end = _syntax.Match(end) < 0 ? to - 1 : _syntax.Match(end);
            }
            else if (IsPunct(end, ',') && comma < 0)
            {
                comma = end;
            }
            else if (Is(end, "OFFSET"))
            {
                offset = end;
            }

            end++;
        }

        string limit, skip;
        if (comma > 0)
        {
            skip = Emit(i + 1, comma);
            limit = Emit(comma + 1, end);
        }
        else
        {
            limit = Emit(i + 1, offset > 0 ? offset : end);
            skip = offset > 0 ? Emit(offset + 1, end) : string.Empty;
        }

        var negative = limit.StartsWith('-') && long.TryParse(limit.Replace(" ", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture, out var n) && n < 0;
        TrimTrailingSpace(sb);
        if (!negative)
        {
            sb.Append(" LIMIT ").Append(limit);
        }

        if (skip.Length > 0)
        {
            sb.Append(" OFFSET ").Append(skip);
        }

        return end - 1;
    }
}
