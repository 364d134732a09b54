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

        // The transaction is the connection's: the raw statement reads inside its snapshot all the same.
        _ = transaction;
        using var reader = new SqliteRowReader(connection, $"SELECT {string.Join(", ", schema.QuotedColumns)} FROM {schema.QuotedName}");
        using var appender = session.CreateAppender(schema.Name);
        var types = schema.MirrorTypes.ToArray();
        var count = types.Length;
        long rows = 0;
        while (reader.Read())
        {
            for (var i = 0; i < count; i++)
            {
                if (!AppendValue(reader, i, types[i], appender))
                {
                    throw Misfit(reader, schema, i);
                }
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

    /// <summary>
    /// Appends the value by its storage class, typed, when the mirror column holds it exactly (the rules of
    /// <see cref="SqliteTypeMapper.Holds"/>); false, appending nothing, when it does not.
    /// </summary>
    internal static bool AppendValue(SqliteRowReader reader, int column, MirrorType type, DuckDbAppender appender)
    {
        switch (reader.StorageClass(column))
        {
            case SQLitePCL.raw.SQLITE_INTEGER:
                var l = reader.GetInt64(column);
                if (type == MirrorType.Integer)
                {
                    appender.Append(l);
                    return true;
                }

                if (type == MirrorType.Real && SqliteTypeMapper.Holds(type, l))
                {
                    appender.Append((double)l);
                    return true;
                }

                return false;
            case SQLitePCL.raw.SQLITE_FLOAT:
                if (type != MirrorType.Real)
                {
                    return false;
                }

                appender.Append(reader.GetDouble(column));
                return true;
            case SQLitePCL.raw.SQLITE_TEXT:
                if (type != MirrorType.Text)
                {
                    return false;
                }

                appender.AppendUtf8(reader.GetUtf8(column));
                return true;
            case SQLitePCL.raw.SQLITE_BLOB:
                if (type != MirrorType.Blob)
                {
                    return false;
                }

                appender.Append(reader.GetBlob(column));
                return true;
            default:
                appender.AppendNull();
                return true;
        }
    }

    private static MirrorMisfitException Misfit(SqliteRowReader reader, TableSchema schema, int column)
    {
        var key = schema.KeyOrdinals.Select(reader.GetValue).ToArray();
        return new MirrorMisfitException(schema.Name, CdcLogReader.Misfit(schema, column, reader.GetValue(column)), RowKeyComparer.Format(key));
    }
}
