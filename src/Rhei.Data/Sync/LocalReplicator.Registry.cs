using Microsoft.Extensions.Logging;
using Rhei.Data.Diagnostics;
using Rhei.Data.Oltp;
using Rhei.Data.Schema;

namespace Rhei.Data.Sync;

// The registry in the SQLite file (the truth) and its optional JSON copy (Schema Registry Path).
internal sealed partial class LocalReplicator
{
    private const string SchemaRegistryPathKey = "Schema Registry Path";

    /// <summary>
    /// Loads the registry from SQLite. A row that cannot be read (damaged by hand or by a tool) never blocks the
    /// start: it is removed and, when the table still exists with a primary key, registered again from SQLite's
    /// own schema, with a warning.
    /// </summary>
    private void LoadRegistry()
    {
        var damaged = _registry.Load(Sqlite);
        if (damaged.Count == 0)
        {
            return;
        }

        using (var transaction = Sqlite.BeginTransaction())
        {
            foreach (var (table, problem) in damaged)
            {
                SchemaRegistry.Delete(Sqlite, transaction, table);
                var actual = SqliteSchemaReader.Read(Sqlite, table);
                if (actual is not null && IsEligible(actual))
                {
                    var schema = new TableSchema(actual);
                    CdcTriggers.Create(Sqlite, transaction, schema, _options.SyncMode);
                    SchemaRegistry.Save(Sqlite, transaction, actual);
                    _logger.RegistryEntryRebuilt(table, SchemaRegistry.TableName, problem);
                }
                else
                {
                    CdcTriggers.Drop(Sqlite, transaction, table);
                    _logger.RegistryEntryRemoved(table, SchemaRegistry.TableName, problem);
                }
            }

            transaction.Commit();
        }

        _registry.Load(Sqlite);
    }

    /// <summary>Writes the JSON copy, refusing a path that cannot be one: a directory, or a file in a directory that does not exist.</summary>
    private void WriteRegistryFile()
    {
        if (_options.SchemaRegistryPath is not { } path)
        {
            return;
        }

        CheckRegistryPath(path);
        try
        {
            _registry.WriteJson(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw RheiException.Provider($"The schema registry copy cannot be written to '{path}' ('{SchemaRegistryPathKey}'): {ex.Message}", ex);
        }
    }

    private static void CheckRegistryPath(string path)
    {
        if (Directory.Exists(path))
        {
            throw RheiException.Provider(
                $"'{SchemaRegistryPathKey}' names a directory ('{path}'); it takes a file, for example '{Path.Combine(path, "registry.json")}'.");
        }

        // A missing directory is refused rather than created: it is most often a typo, and creating it would
        // scatter registry copies where nobody looks.
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
        {
            throw RheiException.Provider(
                $"The directory of '{SchemaRegistryPathKey}' ('{directory}') does not exist. Create it, or name a file in an existing directory.");
        }
    }

    /// <summary>A registry file (from rhei, or a copy) seeds an empty in-file registry, for tables that exist.</summary>
    private void ImportRegistryFile()
    {
        var path = _options.SchemaRegistryPath;
        if (path is null)
        {
            return;
        }

        CheckRegistryPath(path);
        if (!File.Exists(path) || _registry.Tables.Count > 0)
        {
            return;
        }

        List<RheiTableSchema> tables;
        try
        {
            tables = SchemaRegistryJson.DeserializeRegistry(File.ReadAllBytes(path));
        }
        catch (System.Text.Json.JsonException ex)
        {
            _logger.RegistryFileIgnored(ex);
            return;
        }
        catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException or FormatException)
        {
            // Valid JSON of another shape (an array, a table without fields): overwriting it later would destroy
            // a file that is probably not ours.
            throw RheiException.Provider(
                $"The file named by '{SchemaRegistryPathKey}' ('{path}') is not a schema registry: {ex.Message} A registry is a JSON object {{\"tables\": {{\"name\": {{...}}}}}}; name another file, or remove this one to start a new registry.",
                ex);
        }
        catch (IOException ex)
        {
            throw RheiException.Provider($"The file named by '{SchemaRegistryPathKey}' ('{path}') cannot be read: {ex.Message}", ex);
        }

        using (var transaction = Sqlite.BeginTransaction())
        {
            foreach (var table in tables.Where(t => SqliteSchemaReader.Read(Sqlite, t.Name) is not null))
            {
                var schema = new TableSchema(table);
                CdcTriggers.Create(Sqlite, transaction, schema, _options.SyncMode);
                SchemaRegistry.Save(Sqlite, transaction, table);
            }

            transaction.Commit();
        }

        _registry.Load(Sqlite);
    }
}
