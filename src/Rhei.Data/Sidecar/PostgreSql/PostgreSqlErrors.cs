using Npgsql;

namespace Rhei.Data.Sidecar.PostgreSql;

/// <summary>
/// Turns Npgsql's failures into the public <see cref="RheiException"/> naming the engine <c>PostgreSQL</c> and what was
/// being done (the table, the setting), never the password: the source connection string's password is cut from the
/// message, and an inner exception whose text holds it is left out.
/// </summary>
internal static class PostgreSqlErrors
{
    /// <summary>Whether <paramref name="ex"/> is a failure of the server or the connection (wrapped), rather than a bug or a cancellation.</summary>
    public static bool IsPostgreSqlFailure(Exception ex)
        => ex is NpgsqlException or TimeoutException;

    public static RheiException Wrap(Exception ex, string doing, string? password)
    {
        var text = ex switch
        {
            PostgresException pg => $"{pg.SqlState}: {pg.MessageText}{(pg.Detail is { Length: > 0 } d ? " (" + d + ")" : "")}",
            _ => ex.Message,
        };
        var leaks = !string.IsNullOrEmpty(password) && ContainsPassword(ex, password);
        if (!string.IsNullOrEmpty(password))
        {
            text = text.Replace(password, "***", StringComparison.Ordinal);
        }

        var code = ex is PostgresException postgres ? SqlStateCode(postgres.SqlState) : 0;
        return new RheiException($"{doing} failed: {text} (engine: PostgreSQL)", RheiException.PostgreSqlEngineName, code, leaks ? null : ex);
    }

    public static RheiException Refuse(string message) => new($"{message} (engine: PostgreSQL)", RheiException.PostgreSqlEngineName);

    /// <summary>The password of an Npgsql connection string, to cut from messages (null when it has none or does not parse).</summary>
    public static string? PasswordOf(string connectionString)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString).Password;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static bool ContainsPassword(Exception ex, string password)
    {
        for (var e = (Exception?)ex; e is not null; e = e.InnerException)
        {
            if (e.Message.Contains(password, StringComparison.Ordinal) || (e is PostgresException pg && (pg.Detail?.Contains(password, StringComparison.Ordinal) == true || pg.Where?.Contains(password, StringComparison.Ordinal) == true)))
            {
                return true;
            }
        }

        return false;
    }

    // SQLSTATE is five base-36 characters: packed into the integer the way PostgreSQL's MAKE_SQLSTATE does (6 bits each).
    private static int SqlStateCode(string sqlState)
    {
        var code = 0;
        for (var i = 0; i < sqlState.Length && i < 5; i++)
        {
            code |= ((sqlState[i] - '0') & 0x3F) << (6 * i);
        }

        return code;
    }
}
