using Rhei.Data.Sql.Syntax;

namespace Rhei.Data.Sql;

/// <summary>
/// Analyses one statement's tokens: kind, tables, features, parameters, hint and temporal clauses. It first builds the
/// statement's <see cref="SqlSyntax"/> (the one parse the translator reads too) and walks the tokens with it: it recognises
/// the shapes routing and translation need and leaves grammar errors for the engines to report.
/// </summary>
internal sealed partial class SqlStatementAnalyzer
{
    private static readonly HashSet<string> s_exprStops = new(StringComparer.OrdinalIgnoreCase)
    {
        "WHERE", "AS", "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL", "ON", "USING", "GROUP",
        "ORDER", "LIMIT", "UNION", "EXCEPT", "INTERSECT", "HAVING", "WINDOW", "QUALIFY", "SELECT",
    };

    private static readonly string[] s_periodColumns = ["_rhei_valid_from", "_rhei_valid_to", "_rhei_operation"];

    private readonly string _text;
    private readonly SqlToken[] _t;
    private readonly SqlSyntax _syntax;
    private readonly List<SqlTableReference> _tables = [];
    private readonly List<string> _tableFunctions = [];
    private readonly List<string> _functions = [];
    private readonly List<SqlTemporalClause> _temporal = [];
    private SqlFeatures _features;

    private SqlStatementAnalyzer(string text, SqlToken[] tokens)
    {
        _text = text;
        _t = tokens;
        _syntax = SqlSyntaxBuilder.Build(text, tokens);
    }

    /// <summary>Analyses the tokens [start, end) of <paramref name="all"/>.</summary>
    public static SqlStatement Analyze(string text, SqlToken[] all, int start, int end)
    {
        RheiRoute? hint = null;
        var significant = new List<SqlToken>(end - start + 1);
        for (var i = start; i < end; i++)
        {
            var token = all[i];
            if (token.Kind == SqlTokenKind.Comment)
            {
                if (significant.Count == 0)
                {
                    hint ??= SqlHintParser.Parse(token.Span(text));
                }
            }
            else if (token.Kind != SqlTokenKind.Whitespace)
            {
                significant.Add(token);
            }
        }

        // The statement's text runs from its first comment or token to its last token: surrounding whitespace is not part of it.
        var first = text.Length;
        var last = 0;
        for (var i = start; i < end; i++)
        {
            if (all[i].Kind != SqlTokenKind.Whitespace)
            {
                first = Math.Min(first, all[i].Start);
                last = all[i].End;
            }
        }

        last = Math.Max(first, last);
        significant.Add(new SqlToken(SqlTokenKind.End, last, 0));
        var analyzer = new SqlStatementAnalyzer(text, significant.ToArray());
        return analyzer.Run(first, last - first, hint);
    }

    private SqlStatement Run(int start, int length, RheiRoute? hint)
    {
        if (_syntax.HasWith)
        {
            _features |= SqlFeatures.Cte;
        }

        var (kind, verb) = DetectKind();
        var target = FindTarget(kind, verb);
        Walk(kind);
        return new SqlStatement
        {
            CommandText = _text,
            Start = start,
            Length = length,
            Tokens = _t,
            Syntax = _syntax,
            Kind = kind,
            Features = _features,
            Tables = _tables,
            TableFunctions = _tableFunctions,
            Functions = _functions,
            Parameters = CollectParameters(),
            TargetTable = target,
            AlterAction = kind == SqlStatementKind.AlterTable ? ParseAlter() : null,
            Hint = hint,
            TemporalClauses = _temporal,
            UsesPeriodColumns = UsesPeriodColumns(),
            Lookup = kind == SqlStatementKind.Select ? ClassifyWhere() : SqlLookupKind.None,
        };
    }

    // ---- token helpers -------------------------------------------------------------------

    private bool Is(int i, string word) => i >= 0 && i < _t.Length && _t[i].Is(_text, word);

    private bool IsPunct(int i, char c) => i >= 0 && i < _t.Length && _t[i].Kind == SqlTokenKind.Punctuation && _text[_t[i].Start] == c;

    private bool IsKind(int i, SqlTokenKind kind) => i >= 0 && i < _t.Length && _t[i].Kind == kind;

    private bool IsPlainName(int i) => IsKind(i, SqlTokenKind.Identifier) || IsKind(i, SqlTokenKind.QuotedIdentifier);

    private string Lower(int i) => _t[i].Text(_text).ToLowerInvariant();

    // ---- kind and targets ----------------------------------------------------------------

    private (SqlStatementKind Kind, int Verb) DetectKind()
    {
        var p = 0;
        while (IsPunct(p, '('))
        {
            p++;
        }

        if (Is(p, "WITH"))
        {
            // Skip the CTE list: the verb is the first keyword at depth 0 after the WITH clause.
            var k = p + 1;
            while (k < _t.Length && _t[k].Kind != SqlTokenKind.End)
            {
                if (IsPunct(k, '(') && _syntax.Match(k) > 0)
                {
                    k = _syntax.Match(k) + 1;
                    continue;
                }

                if (Is(k, "SELECT") || Is(k, "INSERT") || Is(k, "UPDATE") || Is(k, "DELETE") || Is(k, "REPLACE") || Is(k, "VALUES") || Is(k, "FROM"))
                {
                    break;
                }

                k++;
            }

            p = k;
        }

        if (_t[p].Kind is not (SqlTokenKind.Keyword or SqlTokenKind.Identifier))
        {
            return (SqlStatementKind.Other, p);
        }

        var word = _t[p].Text(_text).ToUpperInvariant();
        var kind = word switch
        {
            "SELECT" or "VALUES" => SqlStatementKind.Select,
            "FROM" or "SUMMARIZE" or "DESCRIBE" or "PIVOT" or "UNPIVOT" => DuckOnly(SqlStatementKind.Select),
            "INSERT" => Is(p + 1, "OR") && Is(p + 2, "REPLACE") ? SqlStatementKind.Replace : HasOnConflictUpdate(p) ? SqlStatementKind.Upsert : SqlStatementKind.Insert,
            "REPLACE" => SqlStatementKind.Replace,
            "UPDATE" => SqlStatementKind.Update,
            "DELETE" => SqlStatementKind.Delete,
            "CREATE" => IsTableAfter(p + 1, "TEMP", "TEMPORARY") ? SqlStatementKind.CreateTable : SqlStatementKind.CreateOther,
            "ALTER" => Is(p + 1, "TABLE") ? SqlStatementKind.AlterTable : SqlStatementKind.Other,
            "DROP" => Is(p + 1, "TABLE") ? SqlStatementKind.DropTable : SqlStatementKind.DropOther,
            "PRAGMA" => SqlStatementKind.Pragma,
            "BEGIN" => SqlStatementKind.Begin,
            "COMMIT" or "END" => SqlStatementKind.Commit,
            "ROLLBACK" => SqlStatementKind.Rollback,
            "SAVEPOINT" => SqlStatementKind.Savepoint,
            "RELEASE" => SqlStatementKind.Release,
            "ATTACH" => SqlStatementKind.Attach,
            "DETACH" => SqlStatementKind.Detach,
            "VACUUM" => SqlStatementKind.Vacuum,
            "ANALYZE" => SqlStatementKind.Analyze,
            "REINDEX" => SqlStatementKind.Reindex,
            "EXPLAIN" => SqlStatementKind.Explain,
            _ => SqlStatementKind.Other,
        };
        return (kind, p);
    }

    private SqlStatementKind DuckOnly(SqlStatementKind kind)
    {
        _features |= SqlFeatures.DuckDbOnlySyntax;
        return kind;
    }

    private bool IsTableAfter(int p, string skip1, string skip2)
    {
        if (Is(p, skip1) || Is(p, skip2))
        {
            p++;
        }

        return Is(p, "TABLE");
    }

    private bool HasOnConflictUpdate(int p)
    {
        for (var i = p; i + 2 < _t.Length; i++)
        {
            if (Is(i, "ON") && Is(i + 1, "CONFLICT"))
            {
                for (var j = i + 2; j + 1 < _t.Length; j++)
                {
                    if (Is(j, "DO") && Is(j + 1, "UPDATE"))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private string? FindTarget(SqlStatementKind kind, int verb)
    {
        int p;
        switch (kind)
        {
            case SqlStatementKind.Insert or SqlStatementKind.Replace or SqlStatementKind.Upsert:
                p = verb;
                while (p < _t.Length && !Is(p, "INTO") && _t[p].Kind != SqlTokenKind.End)
                {
                    p++;
                }

                return ReadName(p + 1, out _);
            case SqlStatementKind.Update:
                p = verb + 1;
                if (Is(p, "OR"))
                {
                    p += 2;
                }

                return ReadName(p, out _);
            case SqlStatementKind.Delete:
                return ReadName(Is(verb + 1, "FROM") ? verb + 2 : verb + 1, out _);
            case SqlStatementKind.CreateTable or SqlStatementKind.DropTable or SqlStatementKind.AlterTable or SqlStatementKind.CreateOther or SqlStatementKind.DropOther:
                p = verb + 1;
                while (Is(p, "TEMP") || Is(p, "TEMPORARY") || Is(p, "UNIQUE") || Is(p, "VIRTUAL"))
                {
                    p++;
                }

                var isIndexOrTrigger = Is(p, "INDEX") || Is(p, "TRIGGER");
                p++;
                if (Is(p, "IF"))
                {
                    p += Is(p + 1, "NOT") ? 3 : 2;
                }

                var name = ReadName(p, out var after);
                if (kind == SqlStatementKind.CreateOther && isIndexOrTrigger)
                {
                    // CREATE INDEX i ON t(...) / CREATE TRIGGER tr ... ON t: the target is the table.
                    for (var i = after; i < _t.Length && _t[i].Kind != SqlTokenKind.End; i++)
                    {
                        if (Is(i, "ON"))
                        {
                            return ReadName(i + 1, out _);
                        }
                    }
                }

                return name;
            default:
                return null;
        }
    }

    /// <summary>Reads <c>[schema.]name</c> at <paramref name="p"/>.</summary>
    private string? ReadName(int p, out int after)
    {
        after = p;
        if (p >= _t.Length || !_t[p].IsName)
        {
            return null;
        }

        var name = _t[p].Unquote(_text);
        after = p + 1;
        if (IsPunct(p + 1, '.') && p + 2 < _t.Length && _t[p + 2].IsName)
        {
            name = name + "." + _t[p + 2].Unquote(_text);
            after = p + 3;
        }

        return name;
    }

    private SqlAlterAction ParseAlter()
    {
        ReadName(2, out var p);
        if (Is(p, "ADD"))
        {
            p++;
            if (Is(p, "COLUMN"))
            {
                p++;
            }

            var column = p < _t.Length && _t[p].IsName ? _t[p].Unquote(_text) : null;
            var end = _t[^1].Start;
            var definition = p + 1 < _t.Length - 1 ? _text[_t[p + 1].Start..end].Trim() : null;
            return new SqlAlterAction(SqlAlterKind.AddColumn, column, Definition: string.IsNullOrEmpty(definition) ? null : definition);
        }

        if (Is(p, "DROP"))
        {
            p++;
            if (Is(p, "COLUMN"))
            {
                p++;
            }

            return new SqlAlterAction(SqlAlterKind.DropColumn, ReadSimpleName(p));
        }

        if (Is(p, "RENAME"))
        {
            p++;
            if (Is(p, "TO"))
            {
                return new SqlAlterAction(SqlAlterKind.RenameTable, ReadSimpleName(p + 1));
            }

            if (Is(p, "COLUMN"))
            {
                p++;
            }

            return new SqlAlterAction(SqlAlterKind.RenameColumn, ReadSimpleName(p), Is(p + 1, "TO") ? ReadSimpleName(p + 2) : null);
        }

        return new SqlAlterAction(SqlAlterKind.Other, null);
    }

    private string? ReadSimpleName(int p) => p < _t.Length && _t[p].IsName ? _t[p].Unquote(_text) : null;
}
