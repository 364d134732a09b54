using System.Runtime.CompilerServices;
using SQLitePCL;

namespace Rhei.Data.Arrow;

/// <summary>
/// The column names SQLite gives a statement's result, read by preparing it (never stepping it). DuckDB names an
/// unaliased expression its own way (<c>count_star()</c> for <c>count(*)</c>); the Arrow schema and the DuckDB
/// cursor use SQLite's name, as the SQLite route does, so that both routes' column names are equal.
/// The same preparation tells whether SQLite refuses the statement for one of its limits (expression depth, compound
/// terms…): DuckDB then must not answer it either, and DuckDB's prepare of such a statement can take minutes without
/// looking at an interrupt, so the refusal comes before DuckDB sees it (<see cref="ThrowIfSqliteRefuses"/>).
/// </summary>
internal static class SqliteColumnNames
{
    // SQLite's messages for statements over its compile-time limits (sqlite3.c: sqlite3ExprCheckHeight,
    // multiSelect, the parser's stack, sqlite3ResultSetOfSelect, sqlite3SrcListEnlarge, sqlite3ExprListCheckLength).
    private static readonly string[] s_limitMessages =
    [
        "Expression tree is too large",
        "too many terms in compound SELECT",
        "parser stack overflow",
        "Recursion limit",
        "too many columns",
        "too many FROM clause terms",
        "too many terms in",
        "at most 64 tables in a join",
        "too many SQL variables",
        "string or blob too big",
    ];

    // Per translated statement, which the planner caches for as long as the registry snapshot it was made with.
    private static readonly ConditionalWeakTable<OlapStatement, Preparation> s_names = new();

    private sealed record Preparation(string[]? Names, string? Refusal, int RefusalCode);

    /// <summary>
    /// SQLite's names for statement <paramref name="statementIndex"/> of <paramref name="sqliteText"/> (the text the
    /// SQLite route would run), or null when SQLite cannot prepare it (DuckDB-only SQL, a table only the mirror has).
    /// </summary>
    public static string[]? Get(RheiConnection connection, OlapStatement statement, string sqliteText, int statementIndex = 0)
        => Lookup(connection, statement, sqliteText, statementIndex).Names;

    /// <summary>
    /// Throws SQLite's own refusal when SQLite will not compile statement <paramref name="statementIndex"/> of
    /// <paramref name="sqliteText"/> because it exceeds one of SQLite's limits: never an answer SQLite would not give.
    /// Other failures to prepare (DuckDB-only SQL, a table only the mirror has) are not refusals.
    /// </summary>
    public static void ThrowIfSqliteRefuses(RheiConnection connection, OlapStatement statement, string sqliteText, int statementIndex = 0)
    {
        if (Lookup(connection, statement, sqliteText, statementIndex) is { Refusal: { } refusal } preparation)
        {
            throw new RheiException(
                $"SQLite refuses this command: '{refusal}'. It exceeds a SQLite limit, so DuckDB does not answer it either. (engine: SQLite)",
                RheiException.SqliteEngineName,
                preparation.RefusalCode);
        }
    }

    private static Preparation Lookup(RheiConnection connection, OlapStatement statement, string sqliteText, int statementIndex)
    {
        if (s_names.TryGetValue(statement, out var cached))
        {
            return cached;
        }

        var preparation = Prepare(connection, sqliteText, statementIndex);
        s_names.AddOrUpdate(statement, preparation);
        return preparation;
    }

    private static Preparation Prepare(RheiConnection connection, string sql, int statementIndex)
    {
        var db = connection.RequireOpen(nameof(RheiCommand.ExecuteReader)).Handle;
        if (db is null)
        {
            return new Preparation(null, null, 0);
        }

        // Walk the text statement by statement as SQLite runs it; empty statements (a stray ';', a comment) compile to nothing.
        var remaining = sql;
        for (var index = 0; ; )
        {
            var code = raw.sqlite3_prepare_v2(db, remaining, out sqlite3_stmt? statement, out var tail);
            if (code != raw.SQLITE_OK)
            {
                statement?.Dispose();
                var message = raw.sqlite3_errmsg(db).utf8_to_string() ?? string.Empty;
                return IsLimit(code, message) ? new Preparation(null, message, raw.sqlite3_extended_errcode(db)) : new Preparation(null, null, 0);
            }

            using (statement)
            {
                if (statement is not null && !statement.IsInvalid)
                {
                    if (index == statementIndex)
                    {
                        return new Preparation(ReadNames(statement), null, 0);
                    }

                    index++;
                }
            }

            if (string.IsNullOrWhiteSpace(tail) || ReferenceEquals(tail, remaining) || tail.Length >= remaining.Length)
            {
                return new Preparation(null, null, 0);
            }

            remaining = tail;
        }
    }

    private static bool IsLimit(int code, string message)
        => code == raw.SQLITE_TOOBIG || s_limitMessages.Any(limit => message.Contains(limit, StringComparison.Ordinal));

    private static string[] ReadNames(sqlite3_stmt statement)
    {
        var names = new string[raw.sqlite3_column_count(statement)];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = raw.sqlite3_column_name(statement, i).utf8_to_string() ?? string.Empty;
        }

        return names;
    }
}
