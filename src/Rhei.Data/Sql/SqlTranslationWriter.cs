using System.Globalization;
using System.Text;
using Rhei.Data.Sql.Syntax;

namespace Rhei.Data.Sql;

/// <summary>
/// One translation: walks the statement's tokens, copying what DuckDB reads the same way and
/// rewriting or refusing the rest. Function calls are translated argument by argument so that
/// rewrites nest (<c>upper(ifnull(a, b))</c>).
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

    /// <summary>
    /// <c>a || b || c</c> with each operand in SQLite's text form (<see cref="TextOf"/>): DuckDB would print a REAL as 1e+16
    /// and a BLOB escaped. || binds tighter than any other binary operator, so each operand is one primary.
    /// </summary>
    private int EmitConcat(int i, int from, int to, StringBuilder sb, int[] starts)
    {
        var left = PrimaryStart(i - 1, from);
        var leftText = sb.ToString(starts[left - from], sb.Length - starts[left - from]).TrimEnd();
        sb.Length = starts[left - from];
        sb.Append(ConcatOperand(left, i, leftText));
        while (true)
        {
            var start = i + 1;
            var operand = start;
            while (IsKind(operand, SqlTokenKind.Operator) && Raw(operand) is "-" or "+" or "~")
            {
                operand++;
            }

            var end = PrimaryEnd(operand, to);
            sb.Append(" || ").Append(ConcatOperand(start, end, Emit(start, end)));
            if (end < to && IsKind(end, SqlTokenKind.Operator) && Raw(end) == "||")
            {
                i = end;
                continue;
            }

            return end - 1;
        }
    }

    /// <summary>Text and parameters are used as they are (a parameter's type is unknown to typeof()); anything else is converted.</summary>
    private string ConcatOperand(int start, int end, string emitted)
        => end == start + 1 && _t[start].Kind is SqlTokenKind.String or SqlTokenKind.Parameter ? emitted : TextOf(emitted);

    /// <summary>First token of the primary expression ending at <paramref name="k"/>.</summary>
    private int PrimaryStart(int k, int from)
    {
        if (k < from || Is(k, "END"))
        {
            throw Refuse("|| after an operand that is not a simple expression");
        }

        if (IsPunct(k, ')'))
        {
            k = _syntax.Match(k);
            if (k > from && (IsKind(k - 1, SqlTokenKind.Identifier) || IsKind(k - 1, SqlTokenKind.Keyword) && IsCall(k - 1)))
            {
                k--;
            }
        }

        while (k - 2 >= from && IsPunct(k - 1, '.'))
        {
            k -= 2;
        }

        if (k < from || k < 0 || IsKind(k, SqlTokenKind.Operator) || IsKind(k, SqlTokenKind.Punctuation) && !IsPunct(k, '('))
        {
            throw Refuse("|| after an operand that is not a simple expression");
        }

        // A sign binds tighter than ||: -0.5 || '' is '-0.5'.
        while (k - 1 >= from && IsKind(k - 1, SqlTokenKind.Operator) && Raw(k - 1) is "-" or "+" or "~"
               && (k - 1 == from || IsKind(k - 2, SqlTokenKind.Operator) || IsPunct(k - 2, '(') || IsPunct(k - 2, ',') || IsKind(k - 2, SqlTokenKind.Keyword)))
        {
            k--;
        }

        return k;
    }

    /// <summary>Index just past the primary expression starting at <paramref name="k"/>.</summary>
    private int PrimaryEnd(int k, int to)
    {
        if (k >= to)
        {
            throw Refuse("|| without a right operand");
        }

        if (IsPunct(k, '('))
        {
            return _syntax.Match(k) < 0 ? throw Refuse("unbalanced parentheses") : _syntax.Match(k) + 1;
        }

        if ((IsKind(k, SqlTokenKind.Identifier) || IsKind(k, SqlTokenKind.Keyword) && IsCall(k)) && IsPunct(k + 1, '('))
        {
            return _syntax.Match(k + 1) < 0 ? throw Refuse("unbalanced parentheses") : _syntax.Match(k + 1) + 1;
        }

        if (_t[k].Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier or SqlTokenKind.String or SqlTokenKind.Number
            or SqlTokenKind.Parameter or SqlTokenKind.Blob || Is(k, "NULL"))
        {
            k++;
            while (IsPunct(k, '.') && k + 1 < to)
            {
                k += 2;
            }

            return k;
        }

        throw Refuse($"|| before '{Raw(k)}', which is not a simple expression");
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

    /// <summary>
    /// SQLite's LIKE folds ASCII letters only; DuckDB's ILIKE folds all of Unicode (é ILIKE É, and the Kelvin sign K ILIKE k).
    /// Folding both sides with translate() over A-Z is exactly SQLite's rule. A literal pattern without letters needs no folding.
    /// </summary>
    private int EmitLike(int like, bool negated, int from, int to, StringBuilder sb, int[] starts)
    {
        var opStart = negated ? like - 1 : like;
        var lhsStart = OperandStart(opStart - 1, from);
        var patEnd = OperandEnd(like + 1, to);
        var escape = -1;
        var end = patEnd;
        if (Is(patEnd, "ESCAPE"))
        {
            escape = patEnd + 1;
            end = OperandEnd(escape, to);
        }

        var pattern = Emit(like + 1, patEnd);
        var single = patEnd == like + 2 && IsKind(like + 1, SqlTokenKind.String);
        var escapeText = escape >= 0 ? Emit(escape, end) : null;
        var op = negated ? "NOT LIKE" : "LIKE";
        if (single && !Raw(like + 1).Any(char.IsAsciiLetter) && (escape < 0 || !escapeText!.Any(char.IsAsciiLetter)))
        {
            TrimTrailingSpace(sb);
            sb.Append(' ').Append(op).Append(' ').Append(pattern);
        }
        else
        {
            var lhsPosition = starts[lhsStart - from];
            var lhs = sb.ToString(lhsPosition, sb.Length - lhsPosition).TrimEnd();

            sb.Length = lhsPosition;
            sb.Append(FoldAscii(lhs)).Append(' ').Append(op).Append(' ')
              .Append(single ? LowerAsciiLiteral(pattern) : FoldAscii(pattern));
            if (escapeText is not null && IsKind(escape, SqlTokenKind.String) && end == escape + 1)
            {
                escapeText = LowerAsciiLiteral(escapeText);
            }
            else if (escapeText is not null)
            {
                escapeText = FoldAscii(escapeText);
            }
        }

        if (escapeText is not null)
        {
            sb.Append(" ESCAPE ").Append(escapeText);
        }

        return end - 1;
    }

    private static string FoldAscii(string expr) => $"translate({expr}, {Upper}, {Lower})";

    private static string LowerAsciiLiteral(string literal)
        => string.Create(literal.Length, literal, static (span, s) =>
        {
            for (var i = 0; i < s.Length; i++)
            {
                span[i] = char.IsAsciiLetterUpper(s[i]) ? (char)(s[i] | 0x20) : s[i];
            }
        });

    /// <summary>First token of the operand ending at <paramref name="k"/>: a chain of primaries joined by arithmetic or concatenation.</summary>
    private int OperandStart(int k, int from)
    {
        while (true)
        {
            if (k < from)
            {
                throw Refuse("LIKE without a left operand");
            }

            if (Is(k, "END"))
            {
                throw Refuse("LIKE on a CASE expression");
            }

            if (IsPunct(k, ')'))
            {
                k = _syntax.Match(k);
                if (k > from && (IsKind(k - 1, SqlTokenKind.Identifier) || IsKind(k - 1, SqlTokenKind.Keyword) && IsCall(k - 1)))
                {
                    k--;
                }
            }

            if (k - 1 >= from && IsPunct(k - 1, '.'))
            {
                k -= 2;
                continue;
            }

            if (k - 1 >= from && IsKind(k - 1, SqlTokenKind.Operator))
            {
                var op = Raw(k - 1);
                if (op is "=" or "==" or "<>" or "!=" or "<" or ">" or "<=" or ">=")
                {
                    throw Refuse($"LIKE after {op} needs SQLite's precedence rules");
                }

                if (k - 2 >= from && (IsKind(k - 2, SqlTokenKind.Identifier) || IsKind(k - 2, SqlTokenKind.QuotedIdentifier) || IsKind(k - 2, SqlTokenKind.Number)
                                      || IsKind(k - 2, SqlTokenKind.String) || IsKind(k - 2, SqlTokenKind.Parameter) || IsPunct(k - 2, ')')))
                {
                    k -= 2;
                    continue;
                }

                return k - 1;
            }

            return k;
        }
    }

    /// <summary>Index just past the operand starting at <paramref name="k"/>.</summary>
    private int OperandEnd(int k, int to)
    {
        while (k < to)
        {
            if (IsKind(k, SqlTokenKind.Operator) && Raw(k) is "-" or "+" or "~")
            {
                k++;
                continue;
            }

            if (IsPunct(k, '('))
            {
                k = _syntax.Match(k) < 0 ? throw Refuse("unbalanced parentheses") : _syntax.Match(k) + 1;
            }
            else if (IsKind(k, SqlTokenKind.Identifier) || IsKind(k, SqlTokenKind.Keyword) && IsCall(k))
            {
                k = !IsPunct(k + 1, '(') ? k + 1 : _syntax.Match(k + 1) < 0 ? throw Refuse("unbalanced parentheses") : _syntax.Match(k + 1) + 1;
                while (IsPunct(k, '.') && k + 1 < to)
                {
                    k += 2;
                }
            }
            else if (_t[k].Kind is SqlTokenKind.QuotedIdentifier or SqlTokenKind.String or SqlTokenKind.Number or SqlTokenKind.Parameter or SqlTokenKind.Blob)
            {
                k++;
                while (IsPunct(k, '.') && k + 1 < to)
                {
                    k += 2;
                }
            }
            else
            {
                throw Refuse($"LIKE operand '{Raw(k)}' is not a simple expression");
            }

            if (k < to && IsKind(k, SqlTokenKind.Operator) && Raw(k) is "||" or "+" or "-" or "*" or "/" or "%")
            {
                k++;
                continue;
            }

            return k;
        }

        return k;
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

    // ---- literals, identifiers, parameters -----------------------------------------------

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

    // ---- function calls ------------------------------------------------------------------

    private string TranslateCall(int nameIndex)
    {
        var name = Raw(nameIndex);
        var lower = name.ToLowerInvariant();
        var open = nameIndex + 1;
        var close = _syntax.Match(open);
        if (close < 0)
        {
            throw Refuse($"unbalanced parentheses after {name}");
        }

        if (lower == "cast")
        {
            return TranslateCast(open, close);
        }

        var ranges = _syntax.Items(open);
        var distinct = ranges.Count > 0 && Is(ranges[0].Start, "DISTINCT");
        if (distinct)
        {
            ranges[0] = (ranges[0].Start + 1, ranges[0].End);
        }

        foreach (var (start, end) in ranges)
        {
            for (var k = start; k < end; k++)
            {
                if (Is(k, "ORDER") && Is(k + 1, "BY"))
                {
                    throw Refuse($"ORDER BY inside {lower}()");
                }
            }
        }

        var args = new string[ranges.Count];
        for (var k = 0; k < args.Length; k++)
        {
            args[k] = Emit(ranges[k].Start, ranges[k].End);
        }

        var prefix = distinct ? "DISTINCT " : string.Empty;
        if (s_refused.TryGetValue(lower, out var reason))
        {
            throw Refuse(reason);
        }

        if (lower.StartsWith("sqlite_", StringComparison.Ordinal) || lower.StartsWith("pragma_", StringComparison.Ordinal))
        {
            throw Refuse($"{lower}() answers about SQLite itself");
        }

        if (SqlDateTimeTranslator.IsDateFunction(lower))
        {
            return SqlDateTimeTranslator.Translate(lower, args, ranges.Select(r => LiteralValue(r.Start, r.End)).ToArray());
        }

        switch (lower)
        {
            case "coalesce" or "ifnull":
                CheckBranches(ranges, $"{lower}()");
                break;
            case "iif" when ranges.Count == 3:
                CheckBranches([ranges[1], ranges[2]], "iif()");
                break;
            case "lag" or "lead" when ranges.Count == 3:
                // The default stands in for the value on rows without a neighbour.
                CheckBranches([ranges[0], ranges[2]], $"{lower}() with a default");
                break;
        }

        switch (lower)
        {
            case "floor" or "ceil" or "ceiling" when args.Length == 1:
                return FloorOrCeil(lower == "floor" ? "floor" : "ceil", args[0], ranges[0]);
            case "min" or "max" when args.Length > 1:
                // SQLite returns the winning argument as it is (max(1, 0.5) is the INTEGER 1); LEAST/GREATEST convert every
                // argument to one type first (1.0), and cannot compare numbers with text at all.
                throw Refuse($"scalar {lower}() keeps the winning argument's type; DuckDB's {(lower == "min" ? "LEAST" : "GREATEST")} converts all arguments to one");
            case "ifnull" when args.Length == 2:
                return $"COALESCE({args[0]}, {args[1]})";
            case "iif" when args.Length == 3:
                return $"CASE WHEN {args[0]} THEN {args[1]} ELSE {args[2]} END";
            case "sum" when args.Length == 1 && !Is(close + 1, "OVER") && !Is(close + 1, "FILTER"):
                // DuckDB sums BIGINT into HUGEINT; SQLite raises "integer overflow" when an integer sum leaves 64 bits.
                var sum = $"sum({prefix}{args[0]})";
                return $"CASE WHEN typeof({sum}) = 'HUGEINT' AND ({sum} > 9223372036854775807 OR {sum} < -9223372036854775808) THEN error('integer overflow') ELSE {sum} END";
            case "unicode" when args.Length == 1:
                // DuckDB answers -1 for '', SQLite NULL.
                return $"nullif(unicode({args[0]}), -1)";
            case "glob" when args.Length == 2 && !IsPlainGlobPattern(ranges[0].Start, ranges[0].End):
                throw Refuse("GLOB pattern with ?, [ or a non-literal pattern (DuckDB matches bytes and spells negation [!])");
            case "total" when args.Length == 1:
                return $"COALESCE(CAST(sum({prefix}{args[0]}) AS DOUBLE), 0.0)";
            case "round" when args.Length is 1 or 2:
                return Round(args[0], args.Length == 2 ? ranges[1] : null);
            case "upper" when args.Length == 1:
                // SQLite changes the case of ASCII letters only.
                return $"translate({args[0]}, {Lower}, {Upper})";
            case "lower" when args.Length == 1:
                return FoldAscii(args[0]);
            case "glob" when args.Length == 2:
                return $"({args[1]} GLOB {args[0]})";
            case "likely" or "unlikely" when args.Length == 1:
                return args[0];
            case "likelihood" when args.Length == 2:
                return args[0];
        }

        if (s_same.Contains(lower) || SqlFunctionCatalog.DuckDbOnlyFunctions.Contains(lower) || IsDuckDbFamily(lower))
        {
            return $"{name}({prefix}{string.Join(", ", args)})";
        }

        throw Refuse($"function '{lower}' has no faithful DuckDB translation");
    }

    /// <summary>
    /// SQLite's round: no digits (or negative ones) rounds half away from zero in double arithmetic; with digits it rounds the
    /// exact decimal expansion of the double half away from zero (round(2.675, 2) is 2.67), and leaves |x| above 2^52 alone.
    /// DuckDB's round multiplies first (2.68), so the exact expansion is printed and rounded as a DECIMAL.
    /// </summary>
    private string Round(string arg, (int Start, int End)? digitsRange)
    {
        var x = $"CAST({arg} AS DOUBLE)";
        var digits = 0L;
        if (digitsRange is { } range)
        {
            var (start, end) = range;
            var negative = end == start + 2 && IsKind(start, SqlTokenKind.Operator) && Raw(start) == "-";
            var number = negative ? start + 1 : start;
            if (end != number + 1 || !IsKind(number, SqlTokenKind.Number) || !long.TryParse(Raw(number), CultureInfo.InvariantCulture, out digits))
            {
                throw Refuse("round() with digits that are not an integer literal");
            }

            digits = negative ? 0 : Math.Min(digits, 15);
        }

        if (digits == 0)
        {
            return $"CASE WHEN abs({x}) > 4503599627370496.0 THEN {x} ELSE CAST(trunc({x} + CASE WHEN {x} < 0 THEN -0.5 ELSE 0.5 END) AS DOUBLE) END";
        }

        return $"CASE WHEN abs({x}) > 4503599627370496.0 THEN {x} ELSE CAST(round(CAST(printf('%.20f', {x}) AS DECIMAL(38,20)), {digits.ToString(CultureInfo.InvariantCulture)}) AS DOUBLE) END";
    }

    /// <summary>
    /// SQLite's floor/ceil return an INTEGER argument unchanged and round a REAL to a REAL; DuckDB returns DOUBLE for both,
    /// so an integer argument is passed through and anything of unknown class is refused.
    /// </summary>
    private string FloorOrCeil(string function, string arg, (int Start, int End) range) => TypeOf(range.Start, range.End) switch
    {
        ValueType.Integer => $"CAST({arg} AS BIGINT)",
        ValueType.Real => $"{function}({arg})",
        ValueType.Null => "NULL",
        _ => throw Refuse($"{function}() of an argument of unknown type (SQLite keeps an INTEGER, DuckDB returns DOUBLE)"),
    };

    /// <summary>Whether both operands of the % at <paramref name="op"/> are INTEGER (or NULL) in every row.</summary>
    private bool IsIntegerModulo(int op, int from, int to)
    {
        var left = MultiplicativeStart(op - 1, from);
        var right = MultiplicativeEnd(op + 1, to);
        return left >= 0 && right >= 0
               && TypeOf(left, op) is ValueType.Integer or ValueType.Null
               && TypeOf(op + 1, right) is ValueType.Integer or ValueType.Null;
    }

    /// <summary>First token of the left operand of a * / % ending at <paramref name="k"/> (the whole chain: % is left-associative); -1 if unclear.</summary>
    private int MultiplicativeStart(int k, int from)
    {
        while (true)
        {
            if (k < from || Is(k, "END"))
            {
                return -1;
            }

            if (IsPunct(k, ')'))
            {
                k = _syntax.Match(k);
                if (k > from && (IsKind(k - 1, SqlTokenKind.Identifier) || IsKind(k - 1, SqlTokenKind.Keyword) && IsCall(k - 1)))
                {
                    k--;
                }
            }

            while (k - 2 >= from && IsPunct(k - 1, '.'))
            {
                k -= 2;
            }

            if (k < from || !(IsOperandEnd(k) || IsPunct(k, '(') || IsCall(k)))
            {
                return -1;
            }

            while (k - 1 >= from && IsKind(k - 1, SqlTokenKind.Operator) && Raw(k - 1) is "-" or "+" or "~" && !IsOperandEnd(k - 2))
            {
                k--;
            }

            if (k - 1 >= from && IsKind(k - 1, SqlTokenKind.Operator) && Raw(k - 1) is "*" or "/" or "%" or "||")
            {
                k -= 2;
                continue;
            }

            return k;
        }
    }

    /// <summary>Index just past the right operand of a * / % starting at <paramref name="k"/>; -1 if unclear.</summary>
    private int MultiplicativeEnd(int k, int to)
    {
        while (k < to && IsKind(k, SqlTokenKind.Operator) && Raw(k) is "-" or "+" or "~")
        {
            k++;
        }

        if (k >= to)
        {
            return -1;
        }

        int end;
        if (IsPunct(k, '('))
        {
            end = _syntax.Match(k) + 1;
        }
        else if (Is(k, "CASE"))
        {
            end = CaseEnd(k) + 1;
        }
        else if ((IsKind(k, SqlTokenKind.Identifier) || IsKind(k, SqlTokenKind.Keyword)) && IsCall(k))
        {
            end = _syntax.Match(k + 1) + 1;
        }
        else if (IsOperandEnd(k))
        {
            end = k + 1;
            while (IsPunct(end, '.') && end + 1 < to)
            {
                end += 2;
            }
        }
        else
        {
            return -1;
        }

        // || binds tighter than %: its text operand would make the class unknown anyway.
        return end <= 0 || end > to || IsKind(end, SqlTokenKind.Operator) && Raw(end) == "||" ? -1 : end;
    }

    /// <summary>A literal GLOB pattern using only * wildcards: DuckDB's ? matches one byte and its classes differ.</summary>
    private bool IsPlainGlobPattern(int start, int end)
        => LiteralValue(start, end) is { } pattern && pattern.AsSpan().IndexOfAny('?', '[') < 0;

    /// <summary>
    /// SQLite's text form of any value: REAL as SQLite 3.53 prints it (<see cref="SqliteRealText"/>), a BLOB's bytes
    /// as UTF-8, a comparison as 0/1. typeof() is constant in DuckDB, so only the matching branch runs.
    /// </summary>
    internal static string TextOf(string e)
        => $"CASE typeof({e}) WHEN 'DOUBLE' THEN {SqliteRealText.Of($"TRY_CAST({e} AS DOUBLE)")} "
           + $"WHEN 'BLOB' THEN decode(TRY_CAST({e} AS BLOB)) WHEN 'BOOLEAN' THEN CAST(CAST({e} AS INTEGER) AS VARCHAR) ELSE CAST({e} AS VARCHAR) END";

    private static bool IsDuckDbFamily(string lower)
        => lower.StartsWith("list_", StringComparison.Ordinal) || lower.StartsWith("struct_", StringComparison.Ordinal)
           || lower.StartsWith("array_", StringComparison.Ordinal) || lower.StartsWith("map_", StringComparison.Ordinal);

    /// <summary>The value of a lone string literal argument, unescaped; null for anything else.</summary>
    private string? LiteralValue(int start, int end)
    {
        if (end != start + 1 || !IsKind(start, SqlTokenKind.String))
        {
            return null;
        }

        var raw = Raw(start);
        return raw.Length >= 2 ? raw[1..^1].Replace("''", "'", StringComparison.Ordinal) : null;
    }

    /// <summary>
    /// SQLite's CAST never fails: text converts by its longest numeric prefix ('12abc' → 12, 'abc' → 0) and REAL truncates.
    /// DuckDB's CAST errors and rounds, so the prefix is extracted from the text form explicitly.
    /// </summary>
    private string TranslateCast(int open, int close)
    {
        var asIndex = -1;
        for (var k = open + 1; k < close; k++)
        {
            if (IsPunct(k, '('))
            {
                k = _syntax.Match(k);
            }
            else if (Is(k, "AS"))
            {
                asIndex = k;
            }
        }

        if (asIndex < 0)
        {
            throw Refuse("CAST without AS");
        }

        var expr = Emit(open + 1, asIndex);
        var type = _text[_t[asIndex + 1].Start.._t[close - 1].End].ToUpperInvariant();
        // Numbers convert as numbers (REAL truncates toward zero and saturates at the 64-bit limits); only text goes
        // through its numeric prefix. typeof() is constant in DuckDB, so the branch that does not apply never runs.
        if (type.Contains("INT", StringComparison.Ordinal))
        {
            var d = $"TRY_CAST({expr} AS DOUBLE)";
            return $"CASE WHEN {expr} IS NULL THEN NULL WHEN typeof({expr}) IN ('BIGINT', 'INTEGER', 'HUGEINT', 'BOOLEAN') THEN TRY_CAST({expr} AS BIGINT) "
                   + $"WHEN typeof({expr}) = 'DOUBLE' THEN CASE WHEN {d} >= 9223372036854775807.0 THEN 9223372036854775807 WHEN {d} <= -9223372036854775808.0 THEN -9223372036854775807 - 1 ELSE CAST(trunc({d}) AS BIGINT) END "
                   + $"ELSE COALESCE(TRY_CAST(regexp_extract(CAST({expr} AS VARCHAR), '^\\s*([+-]?[0-9]+)', 1) AS BIGINT), 0) END";
        }

        if (type.Contains("CHAR", StringComparison.Ordinal) || type.Contains("CLOB", StringComparison.Ordinal) || type.Contains("TEXT", StringComparison.Ordinal))
        {
            return TextOf(expr);
        }

        if (type.Contains("REAL", StringComparison.Ordinal) || type.Contains("FLOA", StringComparison.Ordinal) || type.Contains("DOUB", StringComparison.Ordinal))
        {
            return $"CASE WHEN {expr} IS NULL THEN NULL WHEN typeof({expr}) IN ('BIGINT', 'INTEGER', 'HUGEINT', 'BOOLEAN', 'DOUBLE') THEN TRY_CAST({expr} AS DOUBLE) "
                   + $"ELSE COALESCE(TRY_CAST(regexp_extract(CAST({expr} AS VARCHAR), '^\\s*([+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?)', 1) AS DOUBLE), 0.0) END";
        }

        throw Refuse($"CAST to {type} has no faithful DuckDB translation");
    }
}
