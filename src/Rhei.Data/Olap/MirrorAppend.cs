namespace Rhei.Data.Olap;

/// <summary>Appends SQLite values to a DuckDB appender without boxing detours.</summary>
internal static class MirrorAppend
{
    public static void Value(DuckDbAppender appender, object? value)
    {
        switch (value)
        {
            case null or DBNull:
                appender.AppendNull();
                break;
            case long l:
                appender.Append(l);
                break;
            case double d:
                appender.Append(d);
                break;
            case string s:
                appender.Append(s);
                break;
            case byte[] b:
                appender.Append(b);
                break;
            default:
                appender.AppendValue(value);
                break;
        }
    }

    /// <summary>Appends an integer into a column of the given type (a REAL column takes it as a double).</summary>
    public static void Value(DuckDbAppender appender, long value, Schema.MirrorType type)
    {
        if (type == Schema.MirrorType.Real)
        {
            appender.Append((double)value);
            return;
        }

        appender.Append(value);
    }

    /// <summary>Appends a value into a REAL column: SQLite hands out integers there when they are exact.</summary>
    public static void Value(DuckDbAppender appender, object? value, Schema.MirrorType type)
    {
        if (type == Schema.MirrorType.Real && value is long l)
        {
            appender.Append((double)l);
            return;
        }

        Value(appender, value);
    }
}
