using System.Globalization;
using System.Text;
using Rhei.Data.Olap;
using Rhei.Data.Olap.Native;
using Rhei.Data.Schema;
using Rhei.Data.Sql;

namespace Rhei.Data.Arrow;

/// <summary>
/// Runs one translated statement on DuckDB so that every result column is already of its storage class's DuckDB
/// type (BIGINT, DOUBLE, VARCHAR, BLOB): DuckDB's Arrow export of those is exactly the Arrow result's types, so the
/// batches need no managed conversion. Columns of other types (HUGEINT from sum(), DECIMAL, DATE…) are cast by
/// wrapping the statement: <c>SELECT CAST(c1 AS BIGINT) AS "total", … FROM (statement) AS _rhei_arrow(c1, …)</c>.
/// </summary>
internal static class DuckDbArrowQuery
{
    public static DuckDbArrowResult Execute(OlapSession session, OlapStatement statement, RheiParameterCollection parameters)
    {
        var sql = statement.Sql;
        try
        {
            var prepared = session.Prepare(sql);
            var types = PreparedColumnTypes(prepared);
            if (types is not null && types.All(ArrowResultTypes.ExportsAsIs))
            {
                return Run(prepared, statement, parameters);
            }

            if (types is null)
            {
                // A column's type follows the bound parameters: run the statement as written and look at the result.
                var result = Run(prepared, statement, parameters);
                var actual = Enumerable.Range(0, result.ColumnCount).Select(result.ColumnType).ToArray();
                if (actual.All(ArrowResultTypes.ExportsAsIs))
                {
                    return result;
                }

                var names = Enumerable.Range(0, result.ColumnCount).Select(result.ColumnName).ToArray();
                result.Dispose();
                sql = Wrap(statement.Sql, actual, names);
            }
            else
            {
                sql = Wrap(statement.Sql, types, PreparedColumnNames(prepared));
            }

            return Run(session.Prepare(sql), statement, parameters);
        }
        catch (DuckDbException ex)
        {
            session.Forget(sql);
            throw RheiException.FromDuckDb(ex, sql);
        }
        catch (OperationCanceledException)
        {
            session.Forget(sql);
            throw;
        }
    }

    /// <summary>The planned column types, or null when one of them is only known once parameters are bound.</summary>
    private static DuckDbTypeId[]? PreparedColumnTypes(DuckDbPreparedStatement prepared)
        => WithPointer(prepared, static pointer =>
        {
            var count = checked((int)DuckDbArrowNative.PreparedColumnCount(pointer));
            var types = new DuckDbTypeId[count];
            for (var i = 0; i < count; i++)
            {
                types[i] = (DuckDbTypeId)DuckDbArrowNative.PreparedColumnType(pointer, (ulong)i);
                if (types[i] is DuckDbTypeId.Invalid or DuckDbTypeId.Any)
                {
                    return null;
                }
            }

            return types;
        });

    private static unsafe string[] PreparedColumnNames(DuckDbPreparedStatement prepared)
        => WithPointer(prepared, static pointer =>
        {
            var names = new string[checked((int)DuckDbArrowNative.PreparedColumnCount(pointer))];
            for (var i = 0; i < names.Length; i++)
            {
                var name = DuckDbArrowNative.PreparedColumnName(pointer, (ulong)i);
                try
                {
                    names[i] = DuckDbArrowResult.Utf8(name) ?? string.Empty;
                }
                finally
                {
                    DuckDbArrowNative.Free(name);
                }
            }

            return names;
        });

    private static string Wrap(string sql, IReadOnlyList<DuckDbTypeId> types, IReadOnlyList<string> names)
    {
        var select = new StringBuilder("SELECT ");
        var aliases = new StringBuilder();
        for (var i = 0; i < types.Count; i++)
        {
            var reference = "c" + (i + 1).ToString(CultureInfo.InvariantCulture);
            var storageClass = ArrowResultTypes.FromDuckDb(types[i], names[i]) ?? MirrorType.Text;
            if (i > 0)
            {
                select.Append(", ");
                aliases.Append(", ");
            }

            select.Append(ArrowResultTypes.CastSql(reference, types[i], storageClass)).Append(" AS ").Append(SqlIdentifier.Quote(names[i]));
            aliases.Append(reference);
        }

        // The newlines keep a trailing line comment in the statement from swallowing the closing parenthesis.
        return select.Append(" FROM (\n").Append(sql.TrimEnd().TrimEnd(';')).Append("\n) AS _rhei_arrow(").Append(aliases).Append(')').ToString();
    }

    private static DuckDbArrowResult Run(DuckDbPreparedStatement prepared, OlapStatement statement, RheiParameterCollection parameters)
    {
        DuckDbParameterBinder.Bind(prepared, statement, parameters);

        return WithPointer(prepared, static pointer => DuckDbArrowResult.Execute(pointer));
    }

    private static T WithPointer<T>(DuckDbPreparedStatement prepared, Func<nint, T> call)
    {
        var handle = prepared.Handle;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return call(handle.DangerousGetHandle());
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }
}
