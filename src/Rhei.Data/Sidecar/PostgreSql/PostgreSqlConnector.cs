using Npgsql;

namespace Rhei.Data.Sidecar.PostgreSql;

/// <summary>
/// Opens connections to the PostgreSQL source from the <c>Sidecar Source</c> connection string, with the session
/// settings the sources rely on (<c>DateStyle=ISO</c> and <c>TimeZone=UTC</c>, so timestamps print and cast back
/// exactly), and every failure as a <see cref="RheiException"/> that never holds the password.
/// </summary>
internal sealed class PostgreSqlConnector
{
    private readonly NpgsqlConnectionStringBuilder _builder;

    public PostgreSqlConnector(string connectionString)
    {
        try
        {
            _builder = new NpgsqlConnectionStringBuilder(connectionString) { Options = "-c DateStyle=ISO,YMD -c TimeZone=UTC -c standard_conforming_strings=on" };
            if (string.IsNullOrEmpty(_builder.ApplicationName))
            {
                _builder.ApplicationName = "Rhei.Data sidecar";
            }
        }
        catch (ArgumentException)
        {
            // The parser's message may quote the text it could not read: say only which setting is wrong.
            throw PostgreSqlErrors.Refuse("Sidecar Source is not a valid Npgsql connection string");
        }

        Password = string.IsNullOrEmpty(_builder.Password) ? null : _builder.Password;
    }

    /// <summary>The password to cut from messages (null when the string has none).</summary>
    public string? Password { get; }

    /// <summary>Where the source is, for messages: host, port and database, never the credentials.</summary>
    public string Describe() => $"{_builder.Host}:{_builder.Port}/{_builder.Database}";

    /// <summary>The connection string with the session settings, for Npgsql only (never logged).</summary>
    public string ConnectionString => _builder.ConnectionString;

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (Exception ex) when (PostgreSqlErrors.IsPostgreSqlFailure(ex))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw PostgreSqlErrors.Wrap(ex, $"connecting to the PostgreSQL source {Describe()} (Sidecar Source)", Password);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public RheiException Wrap(Exception ex, string doing) => PostgreSqlErrors.Wrap(ex, doing, Password);
}
