using System.Runtime.CompilerServices;
using SQLitePCL;

namespace Rhei.Data.Arrow;

/// <summary>
/// The column names SQLite gives a statement's result, read by preparing it (never stepping it). DuckDB names an
/// unaliased expression its own way (<c>count_star()</c> for <c>count(*)</c>); the Arrow schema uses SQLite's name,
/// as the SQLite route does, so that both routes' schemas are equal.
/// </summary>
internal static class SqliteColumnNames
{
    // Per translated statement, which the planner caches for as long as the registry snapshot it was made with.
    private static readonly ConditionalWeakTable<OlapStatement, string[]?> s_names = new();

    /// <summary>SQLite's names for <paramref name="sqliteText"/>, or null when SQLite cannot prepare it (DuckDB-only SQL).</summary>
    public static string[]? Get(RheiConnection connection, OlapStatement statement, string sqliteText)
    {
        if (s_names.TryGetValue(statement, out var cached))
        {
            return cached;
        }

        var names = Prepare(connection, sqliteText);
        s_names.AddOrUpdate(statement, names);
        return names;
    }

    private static string[]? Prepare(RheiConnection connection, string sql)
    {
        var db = connection.RequireOpen(nameof(RheiCommand.ExecuteArrowReader)).Handle;
        if (db is null || raw.sqlite3_prepare_v2(db, sql, out sqlite3_stmt? statement) != raw.SQLITE_OK)
        {
            return null;
        }

        using (statement)
        {
            var names = new string[raw.sqlite3_column_count(statement)];
            for (var i = 0; i < names.Length; i++)
            {
                names[i] = raw.sqlite3_column_name(statement, i).utf8_to_string() ?? string.Empty;
            }

            return names;
        }
    }
}
