using System.Diagnostics.CodeAnalysis;

namespace Rhei.Data.Sql;

/// <summary>
/// Rewrites a SQLite read into DuckDB SQL with SQLite's semantics, or refuses so the read runs on SQLite:
/// a slower right answer, never a fast wrong one. The DuckDB session is expected to run with
/// <c>SET integer_division=true; SET ieee_floating_point_ops=false; SET default_null_order='nulls_first_on_asc_last_on_desc'</c>.
/// </summary>
internal static class SqlTranslator
{
    /// <summary>The session settings the translations rely on.</summary>
    public const string SessionSettings =
        "SET integer_division = true; SET ieee_floating_point_ops = false; SET default_null_order = 'nulls_first_on_asc_last_on_desc';";

    public static bool TryTranslate(SqlStatement stmt, string commandText, out string duckSql, [NotNullWhen(false)] out string? reasonIfNot)
    {
        if (TryTranslate(stmt, commandText, default, out var translated, out reasonIfNot))
        {
            duckSql = translated.Sql;
            return true;
        }

        duckSql = string.Empty;
        return false;
    }

    public static bool TryTranslate(
        SqlStatement stmt,
        string commandText,
        in TranslateOptions options,
        [NotNullWhen(true)] out TranslatedStatement? result,
        [NotNullWhen(false)] out string? reasonIfNot)
    {
        ArgumentNullException.ThrowIfNull(stmt);
        if (!ReferenceEquals(commandText, stmt.CommandText) && commandText != stmt.CommandText)
        {
            throw new ArgumentException("The statement was analysed from a different command text.", nameof(commandText));
        }

        result = null;
        if (stmt.Kind != SqlStatementKind.Select)
        {
            reasonIfNot = $"only reads are translated, not {stmt.Kind}";
            return false;
        }

        try
        {
            result = new SqlTranslationWriter(stmt, options).Translate();
            reasonIfNot = null;
            return true;
        }
        catch (SqlTranslationRefusedException e)
        {
            reasonIfNot = e.Message;
            return false;
        }
    }
}
