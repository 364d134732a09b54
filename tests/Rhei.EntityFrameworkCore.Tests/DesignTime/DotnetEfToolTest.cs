using Microsoft.Data.Sqlite;

namespace Rhei.EntityFrameworkCore.Tests.DesignTime;

/// <summary>
/// The <c>dotnet ef</c> commands a user runs, through the local tool in .config/dotnet-tools.json, on a temp copy of
/// the EF sample with Rhei connection strings: migrations add, database update (which must leave Rhei's change capture
/// on the new tables) and dbcontext scaffold (which must emit <c>UseRhei</c> and leave Rhei's tables out).
/// </summary>
/// <remarks>
/// Slow by nature (three builds of the copy, four SDK commands): every command has its own time limit, and a failure
/// message carries the output of every command run so far. Nothing is fetched but packages from the NuGet feed.
/// </remarks>
public sealed class DotnetEfToolTest
{
    private static readonly TimeSpan s_restoreTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan s_buildTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan s_efTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Migrations_add_database_update_and_dbcontext_scaffold_work_with_a_Rhei_connection_string()
    {
        using var sample = SampleProjectCopy.Create();
        var cli = new DotnetCli(sample.RepositoryRoot, new Dictionary<string, string>
        {
            ["RHEI_SAMPLE_DB"] = sample.DatabaseFile,
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            ["DOTNET_ADD_GLOBAL_TOOLS_TO_PATH"] = "0",
            // No build server or compiler server may outlive the test (or hold the temp directory open).
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            ["UseSharedCompilation"] = "false",
        });
        var configuration = SampleProjectCopy.Configuration;
        string[] efProject = ["--project", sample.ProjectFile, "--configuration", configuration, "--no-build"];

        // The repository's own tool manifest, restored from the feed (run from the repository root, where it is found).
        await cli.RunAsync(s_restoreTimeout, "tool", "restore").ConfigureAwait(true);
        await BuildAsync(cli, sample, configuration).ConfigureAwait(true);

        await cli.RunAsync(s_efTimeout, ["ef", "migrations", "add", "Initial", "--output-dir", "Migrations", .. efProject]).ConfigureAwait(true);
        AssertInitialMigration(sample, cli);

        await BuildAsync(cli, sample, configuration).ConfigureAwait(true);
        await cli.RunAsync(s_efTimeout, ["ef", "database", "update", .. efProject]).ConfigureAwait(true);
        AssertDatabaseWithChangeCapture(sample, cli);

        var scaffold = await cli.RunAsync(s_efTimeout,
        [
            "ef", "dbcontext", "scaffold", $"Data Source={sample.DatabaseFile};Olap=DuckDb;Sync Interval=0", "Rhei.EntityFrameworkCore",
            "--output-dir", "Scaffolded", "--context", "ScaffoldedShopContext", "--namespace", "Rhei.EntityFrameworkCore.Sample.Scaffolded",
            .. efProject,
        ]).ConfigureAwait(true);
        AssertScaffoldedContext(sample, cli, scaffold);

        // The scaffolded code compiles against Rhei.EntityFrameworkCore (CS1030: EF's #warning about a connection
        // string in code, which warnings-as-errors would otherwise turn into an error).
        await BuildAsync(cli, sample, configuration, "-p:WarningsNotAsErrors=CS1030").ConfigureAwait(true);
    }

    // The repository's projects were built with the test assembly in the same configuration; building only the copy
    // keeps this test from writing into their output folders while other test assemblies run from them.
    private static Task BuildAsync(DotnetCli cli, SampleProjectCopy sample, string configuration, params string[] extra)
        => cli.RunAsync(s_buildTimeout, ["build", sample.ProjectFile, "--configuration", configuration, "-p:BuildProjectReferences=false", .. extra]);

    private static void AssertInitialMigration(SampleProjectCopy sample, DotnetCli cli)
    {
        var migrations = Path.Combine(sample.ProjectDirectory, "Migrations");
        var files = Directory.Exists(migrations) ? Directory.GetFiles(migrations).Select(Path.GetFileName).Order().ToList() : [];
        var migration = files.SingleOrDefault(f => f!.EndsWith("_Initial.cs", StringComparison.Ordinal));
        Assert.True(migration is not null && files.Contains("ShopContextModelSnapshot.cs"),
            $"Expected <timestamp>_Initial.cs and the model snapshot in Migrations/, found [{string.Join(", ", files)}].{Environment.NewLine}{cli.Transcript}");

        var code = File.ReadAllText(Path.Combine(migrations, migration!));
        Assert.Contains("class Initial : Migration", code, StringComparison.Ordinal);
        Assert.Contains("name: \"Stores\"", code, StringComparison.Ordinal);
        Assert.Contains("name: \"Sales\"", code, StringComparison.Ordinal);
        Assert.Contains("IX_Sales_SoldAt", code, StringComparison.Ordinal);
        Assert.DoesNotContain("_rhei_", code, StringComparison.OrdinalIgnoreCase);
    }

    private static void AssertDatabaseWithChangeCapture(SampleProjectCopy sample, DotnetCli cli)
    {
        Assert.True(File.Exists(sample.DatabaseFile), $"database update created no {sample.DatabaseFile}.{Environment.NewLine}{cli.Transcript}");
        using var connection = new SqliteConnection($"Data Source={sample.DatabaseFile};Mode=ReadOnly;Pooling=False");
        connection.Open();

        var tables = Query(connection, "SELECT name FROM sqlite_master WHERE type = 'table'").Select(r => r[0]).ToList();
        Assert.Contains("Stores", tables);
        Assert.Contains("Sales", tables);
        var applied = Query(connection, "SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\"").Select(r => r[0]).ToList();
        Assert.True(applied.Count == 1 && applied[0].EndsWith("_Initial", StringComparison.Ordinal), $"Applied migrations: [{string.Join(", ", applied)}]");

        // Rhei's change capture must be in place on the tables the migration created: one trigger per kind of write.
        var triggers = Query(connection, "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '\\_rhei\\_%' ESCAPE '\\'");
        foreach (var table in new[] { "Stores", "Sales" })
        {
            foreach (var write in new[] { "INSERT", "UPDATE", "DELETE" })
            {
                Assert.True(triggers.Any(t => t[0] == table && t[1].Contains($"AFTER {write} ON \"{table}\"", StringComparison.OrdinalIgnoreCase)),
                    $"No _rhei_ trigger AFTER {write} on {table}; triggers: [{string.Join("; ", triggers.Select(t => t[1]))}]");
            }
        }
    }

    private static void AssertScaffoldedContext(SampleProjectCopy sample, DotnetCli cli, string toolOutput)
    {
        var scaffolded = Path.Combine(sample.ProjectDirectory, "Scaffolded");
        var files = Directory.Exists(scaffolded) ? Directory.GetFiles(scaffolded).Select(Path.GetFileName).Order().ToList() : [];
        // Only the application's tables: no Rhei change-capture tables and no EF migration bookkeeping.
        Assert.True(files.SequenceEqual(["Sale.cs", "ScaffoldedShopContext.cs", "Store.cs"]),
            $"Scaffolded files: [{string.Join(", ", files)}].{Environment.NewLine}{cli.Transcript}");

        var context = File.ReadAllText(Path.Combine(scaffolded, "ScaffoldedShopContext.cs"));
        Assert.Contains($"optionsBuilder.UseRhei(\"Data Source={sample.DatabaseFile};Olap=DuckDb;Sync Interval=0\")", context, StringComparison.Ordinal);
        Assert.DoesNotContain("UseSqlite", context, StringComparison.Ordinal);
        Assert.Contains("DbSet<Sale> Sales", context, StringComparison.Ordinal);
        Assert.Contains("DbSet<Store> Stores", context, StringComparison.Ordinal);
        foreach (var file in files)
        {
            Assert.DoesNotContain("rhei_", File.ReadAllText(Path.Combine(scaffolded, file!)), StringComparison.OrdinalIgnoreCase);
        }

        // Not even a warning about one of Rhei's tables: they are not read at all.
        Assert.DoesNotContain("_rhei_", toolOutput, StringComparison.OrdinalIgnoreCase);
    }

    private static List<string[]> Query(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? string.Empty : reader.GetString(i)).ToArray());
        }

        return rows;
    }
}
