using Microsoft.Data.Sqlite;

namespace Rhei.Data.Sidecar;

/// <summary>
/// How SQLite answers reads of tables followed from a SQLite file (a read the mirror cannot answer faithfully, a
/// quarantined table, a read inside a transaction): every connection attaches the source file read-only under
/// <see cref="SchemaName"/>. SQLite resolves an unqualified table name in <c>main</c> first, then in attached databases,
/// and the sidecar refuses a followed table whose name the local file also has, so the names reach the source's
/// tables and SQLite's own answer is the source's. The source is opened with <c>mode=ro</c>: it is never written.
/// </summary>
internal static class SidecarSqliteFallback
{
    public const string SchemaName = "rhei_sidecar";

    public static void Attach(SqliteConnection connection, string sourcePath)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"ATTACH DATABASE $uri AS {SchemaName}";
        command.Parameters.AddWithValue("$uri", new Uri(Path.GetFullPath(sourcePath)).AbsoluteUri + "?mode=ro");
        command.ExecuteNonQuery();
    }
}
