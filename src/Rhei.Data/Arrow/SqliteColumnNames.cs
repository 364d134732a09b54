using System.Runtime.CompilerServices;
using SQLitePCL;

namespace Rhei.Data.Arrow;

/// <summary>
/// The column names SQLite gives a statement's result, read by preparing it (never stepping it). DuckDB names an
/// unaliased expression its own way (<c>count_star()</c> for <c>count(*)</c>); the Arrow schema and the DuckDB
/// cursor use SQLite's name, as the SQLite route does, so that both routes' column names are equal.
/// </summary>
internal static class SqliteColumnNames
{
    // Per translated statement, which the planner caches for as long as the registry snapshot it was made with.
    private static readonly ConditionalWeakTable<OlapStatement, string[]?> s_names = new();

    /// <summary>
    /// SQLite's names for statement <paramref name="statementIndex"/> of <paramref name="sqliteText"/> (the text the
    /// SQLite route would run), or null when SQLite cannot prepare it (DuckDB-only SQL, a table only the mirror has).
    /// </summary>
    public static string[]? Get(RheiConnection connection, OlapStatement statement, string sqliteText, int statementIndex = 0)
    {
        if (s_names.TryGetValue(statement, out var cached))
        {
            return cached;
        }

        var names = Prepare(connection, sqliteText, statementIndex);
        s_names.AddOrUpdate(statement, names);
        return names;
    }

    private static string[]? Prepare(RheiConnection connection, string sql, int statementIndex)
    {
        var db = connection.RequireOpen(nameof(RheiCommand.ExecuteReader)).Handle;
        if (db is null)
        {
            return null;
        }

        // Walk the text statement by statement as SQLite runs it; empty statements (a stray ';', a comment) compile to nothing.
        var remaining = sql;
        for (var index = 0; ; )
        {
            if (raw.sqlite3_prepare_v2(db, remaining, out sqlite3_stmt? statement, out var tail) != raw.SQLITE_OK)
            {
                statement?.Dispose();
                return null;
            }

            using (statement)
            {
                if (statement is not null && !statement.IsInvalid)
                {
                    if (index == statementIndex)
                    {
                        return ReadNames(statement);
                    }

                    index++;
                }
            }

            if (string.IsNullOrWhiteSpace(tail) || ReferenceEquals(tail, remaining) || tail.Length >= remaining.Length)
            {
                return null;
            }

            remaining = tail;
        }
    }

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
