using Microsoft.Data.Sqlite;

namespace Rhei.Data.Sidecar;

/// <summary>
/// How SQLite answers reads of tables followed from a SQLite file (a read the mirror cannot answer faithfully, a
/// quarantined table, a read inside a transaction): every connection attaches the source file read-only under
/// <see cref="SchemaName"/>. SQLite resolves an unqualified table name in <c>main</c> first, then in attached databases,
/// and the sidecar refuses a followed table whose name the local file also has, so the names reach the source's
/// tables and SQLite's own answer is the source's. Microsoft.Data.Sqlite does not open connections with URI
/// filenames, so the attachment cannot say <c>mode=ro</c>: the source is kept unwritten by
/// <see cref="SidecarWriteGuard"/>, which refuses every write aimed at a followed table or at this schema.
/// </summary>
internal static class SidecarSqliteFallback
{
    public const string SchemaName = "rhei_sidecar";

    public static void Attach(SqliteConnection connection, string sourcePath)
    {
        using var command = connection.CreateCommand();

        // A pooled SQLite connection comes back with its attachments: keep the right one, replace another.
        var path = Path.GetFullPath(sourcePath);
        command.CommandText = $"SELECT file FROM pragma_database_list WHERE name = '{SchemaName}'";
        if (command.ExecuteScalar() is string attached)
        {
            if (attached == path)
            {
                return;
            }

            command.CommandText = $"DETACH DATABASE {SchemaName}";
            command.ExecuteNonQuery();
        }

        command.CommandText = $"ATTACH DATABASE $path AS {SchemaName}";
        command.Parameters.AddWithValue("$path", path);
        command.ExecuteNonQuery();
    }
}
