using Microsoft.Data.Sqlite;

namespace Rhei.Data.Tests.Sidecar;

/// <summary>
/// An application's own SQLite file, written by a plain <see cref="SqliteConnection"/> (never by Rhei), in a temporary
/// folder together with Rhei's local file and mirror; builds sidecar connection strings over it. Removed on dispose.
/// </summary>
internal sealed class SidecarSource : IDisposable
{
    public const string UsersTable = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)";

    public SidecarSource(string? schema = UsersTable)
    {
        Directory = Path.Combine(Path.GetTempPath(), "rhei-sidecar-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        if (schema is not null)
        {
            Execute(schema);
        }
    }

    public string Directory { get; }

    /// <summary>The followed file (rhei's external database).</summary>
    public string SourcePath => Path.Combine(Directory, "external.db");

    /// <summary>Rhei's own local file (rhei's <c>oltp_path</c>).</summary>
    public string LocalPath => Path.Combine(Directory, "local.db");

    public string MirrorPath => Path.Combine(Directory, "mirror.duckdb");

    /// <summary>A sidecar connection string over the source; <paramref name="extra"/> adds keys. No background loop unless asked.</summary>
    public string ConnectionString(string extra = "", bool durable = false)
        => $"Data Source={LocalPath};Sidecar=Sqlite;Sidecar Source={SourcePath};Sync Interval=0{(durable ? $";Olap Path={MirrorPath}" : string.Empty)}{(extra.Length > 0 ? ";" + extra : string.Empty)}";

    /// <summary>Runs SQL on the source file through its own connection, as the application would.</summary>
    public void Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={SourcePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        command.ExecuteNonQuery();
    }

    /// <summary>Rows of a query on the source file, each as text "v1|v2|…", for comparing with the mirror's answer.</summary>
    public List<string> SourceRows(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={SourcePath};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        return Rows(reader);
    }

    public static List<string> Rows(System.Data.Common.DbDataReader reader)
    {
        var rows = new List<string>();
        while (reader.Read())
        {
            var values = new string[reader.FieldCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!;
            }

            rows.Add(string.Join("|", values));
        }

        return rows;
    }

    /// <summary>Runs a read through Rhei and returns its rows (joined by "; ") and the engine that answered.</summary>
    public static (string Rows, RheiRoute Route) Query(RheiConnection connection, string sql, RheiRoute route = RheiRoute.Auto)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Route = route;
        using var reader = command.ExecuteReader();
        var rows = string.Join("; ", Rows(reader));
        return (rows, reader.Route);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
