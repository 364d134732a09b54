using Microsoft.Data.Sqlite;
using Rhei.Data.Oltp;
using Rhei.Data.Schema;

namespace Rhei.Data.Olap;

/// <summary>
/// Full load of a table (initial sync): streams SQLite rows straight into the appender, never
/// holding the table in memory. Runs inside the caller's DuckDB transaction.
/// </summary>
internal static class MirrorLoader
{
    private const int ProgressEvery = 65_536;

    /// <summary>Replaces the mirror's content (destructive) or opens new versions (temporal) with the rows read.</summary>
    /// <exception cref="MirrorMisfitException">A value does not fit its mirror column.</exception>
    public static long Load(
        DuckDbSession session,
        SqliteConnection connection,
        SqliteTransaction transaction,
        TableSchema schema,
        RheiSyncMode mode,
        Action<long>? progress,
        CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (mode == RheiSyncMode.Temporal)
        {
            session.ExecuteNonQuery($"UPDATE {schema.QuotedName} SET {MirrorDdl.ValidTo} = greatest($1, {MirrorDdl.ValidFrom}) WHERE {MirrorDdl.ValidTo} IS NULL", [now]);
        }
        else
        {
            session.Execute("DELETE FROM " + schema.QuotedName);
        }

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {string.Join(", ", schema.QuotedColumns)} FROM {schema.QuotedName}";
        using var reader = command.ExecuteReader();
        using var appender = session.CreateAppender(schema.Name);
        var types = schema.MirrorTypes;
        var count = types.Count;
        long rows = 0;
        while (reader.Read())
        {
            for (var i = 0; i < count; i++)
            {
                var value = reader.GetValue(i);
                if (!SqliteTypeMapper.Holds(types[i], value))
                {
                    throw Misfit(reader, schema, i, value);
                }

                MirrorAppend.Value(appender, value, types[i]);
            }

            if (mode == RheiSyncMode.Temporal)
            {
                appender.Append(now);
                appender.AppendNull();
                appender.Append("I");
            }

            appender.EndRow();
            rows++;
            if (rows % ProgressEvery == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Invoke(rows);
            }
        }

        appender.Close();
        progress?.Invoke(rows);
        return rows;
    }

    private static MirrorMisfitException Misfit(SqliteDataReader reader, TableSchema schema, int column, object value)
    {
        var key = schema.KeyOrdinals.Select(k => reader.GetValue(k) is var v && v is DBNull ? null : v).ToArray();
        return new MirrorMisfitException(schema.Name, CdcLogReader.Misfit(schema, column, value is DBNull ? null : value), RowKeyComparer.Format(key));
    }
}
