using System.Text;

namespace Rhei.Data.Sql;

/// <summary>
/// The operators whose DuckDB form needs their operands' bounds: <c>||</c> (each operand in SQLite's text form), LIKE
/// (both sides folded as SQLite folds them) and <c>%</c> (only when both operands are known integers).
/// </summary>
internal sealed partial class SqlTranslationWriter
{
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
}
