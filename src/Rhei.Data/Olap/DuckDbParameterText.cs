using System.Globalization;
using System.Text;
using Rhei.Data.Sql;

namespace Rhei.Data.Olap;

/// <summary>
/// A statement's text as written, made ready for DuckDB's binder: every parameter placeholder becomes <c>$N</c>,
/// numbered by distinct parameter in order of first use, as the translator numbers them. DuckDB knows neither
/// <c>@p</c> nor <c>:p</c>, and it folds two <c>$p</c> into one position, so the text and the parameter list must
/// agree on one position per distinct parameter: <c>$p … $p</c> binds one value to both places, as SQLite does.
/// </summary>
internal static class DuckDbParameterText
{
    public static OlapStatement ForDuckDb(SqlStatement statement, Func<SqlParameterRef, OlapParameterRef> toReference)
    {
        if (statement.Parameters.Count == 0)
        {
            return new OlapStatement(statement.Text, []);
        }

        var text = statement.CommandText;
        var sql = new StringBuilder(statement.Length + 8);
        var references = new List<OlapParameterRef>();
        var positions = new Dictionary<int, int>();
        var cursor = statement.Start;
        var next = 0;
        foreach (var token in statement.Tokens)
        {
            if (token.Kind != SqlTokenKind.Parameter || next >= statement.Parameters.Count)
            {
                continue;
            }

            var parameter = statement.Parameters[next++];
            if (!positions.TryGetValue(parameter.Index, out var position))
            {
                references.Add(toReference(parameter));
                position = references.Count;
                positions[parameter.Index] = position;
            }

            sql.Append(text, cursor, token.Start - cursor).Append('$').Append(position.ToString(CultureInfo.InvariantCulture));
            cursor = token.End;
        }

        sql.Append(text, cursor, statement.Start + statement.Length - cursor);
        return new OlapStatement(sql.ToString(), references);
    }
}
