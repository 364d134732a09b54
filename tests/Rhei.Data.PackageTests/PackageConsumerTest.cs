using System.Globalization;

namespace Rhei.Data.PackageTests;

/// <summary>
/// Rhei.Data as a developer installs it: `dotnet pack` of the solution, then a console project outside the
/// repository that references only those packages, by version, from a folder.
/// </summary>
public sealed class PackageConsumerTest(PackagedConsumer consumer) : IClassFixture<PackagedConsumer>
{
    // What Consumer/Program.cs writes: ids 1..10,000, region by id modulo 4, amount (id % 100) * 0.25.
    private const int Rows = 10_000;
    private const long PointId = 4_242;
    private static readonly string[] Regions = ["east", "north", "south", "west"];

    // Native library file names per platform family: DuckDB's, SQLite's (e_sqlite3), RocksDB's (the bridge).
    private static readonly Dictionary<string, (string DuckDb, string Sqlite, string RocksDb)> NativeFiles = new()
    {
        ["linux"] = ("libduckdb.so", "libe_sqlite3.so", "librocksdb.so"),
        ["osx"] = ("libduckdb.dylib", "libe_sqlite3.dylib", "librocksdb.dylib"),
        ["win"] = ("duckdb.dll", "e_sqlite3.dll", "rocksdb.dll"),
    };

    [Fact]
    public async Task Pack_of_the_solution_produces_the_shipped_libraries_and_their_symbols_only()
    {
        var packages = await consumer.PackagesAsync();

        Assert.Equal(PackagedConsumer.ShippedPackageIds, packages.Select(p => p.Id).Order(StringComparer.Ordinal));
        var files = Directory.GetFiles(consumer.Feed).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var expected = packages.SelectMany(p => new[] { $"{p.Id}.{p.Version}.nupkg", $"{p.Id}.{p.Version}.snupkg" }).Order(StringComparer.Ordinal);
        Assert.Equal(expected, files);
    }

    [Fact]
    public async Task Every_package_carries_readme_license_description_tags_repository_and_xml_docs()
    {
        foreach (var package in await consumer.PackagesAsync())
        {
            var what = $"{package.Id} ({package.Path})";
            var isTool = PackagedConsumer.ShippedToolIds.Contains(package.Id);
            Assert.True(package.Files.Contains("README.md"), $"{what} has no README.md");
            Assert.Equal("README.md", package.Metadata("readme"));
            Assert.Equal("expression", package.MetadataAttribute("license", "type"));
            Assert.Equal("MIT", package.Metadata("license"));
            Assert.False(string.IsNullOrWhiteSpace(package.Metadata("description")), $"{what} has no description");
            Assert.Contains("duckdb", package.Metadata("tags") ?? "", StringComparison.Ordinal);
            Assert.Equal("git", package.MetadataAttribute("repository", "type"));
            Assert.Null(package.MetadataAttribute("repository", "url"));
            if (isTool)
            {
                // A tool carries its whole app (natives included) under tools/, and nothing to reference.
                Assert.Contains("tools/net10.0/any/DotnetToolSettings.xml", package.Files);
                Assert.DoesNotContain(package.Files, f => f.StartsWith("lib/", StringComparison.Ordinal));
                continue;
            }

            Assert.Contains($"lib/net10.0/{package.Id}.dll", package.Files);
            Assert.Contains($"lib/net10.0/{package.Id}.xml", package.Files);
            Assert.DoesNotContain(package.Files, f => f.StartsWith("runtimes/", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Rhei_Data_package_brings_the_native_engines_through_its_dependencies()
    {
        var packages = await consumer.PackagesAsync();
        var data = packages.Single(p => p.Id == "Rhei.Data");
        Assert.Contains("DuckDB.NET.Bindings.Full", data.DependencyIds);
        Assert.Contains("SQLitePCLRaw.bundle_e_sqlite3", data.DependencyIds);

        // The PostgreSQL sidecar needs no registration package: Npgsql comes with Rhei.Data.
        Assert.Contains("Npgsql", data.DependencyIds);

        // The other packages ask for exactly the Rhei.Data they were built with.
        foreach (var package in packages.Where(p => p.Id != "Rhei.Data" && PackagedConsumer.ShippedLibraryIds.Contains(p.Id)))
        {
            Assert.Equal(data.Version, package.DependencyVersion("Rhei.Data"));
        }
    }

    [Fact]
    public async Task Tool_package_installs_with_dotnet_tool_install_and_runs_a_query()
    {
        var data = Path.Combine(consumer.Feed, "..", "tool-data.db");
        var (install, run) = await consumer.InstallAndRunToolAsync(
            "query", "--connection", $"Data Source={data};Olap=DuckDb", "SELECT 6 * 7 AS answer");
        Assert.True(install.Succeeded, install.Describe());
        Assert.True(run.Succeeded, run.Describe());
        Assert.Contains("42", run.Output, StringComparison.Ordinal);
        Assert.Contains("answered by", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consumer_restores_Rhei_only_as_packages_from_the_packed_folder()
    {
        await consumer.BuildAsync();
        var assets = consumer.Assets();
        var version = (await consumer.PackagesAsync()).Single(p => p.Id == "Rhei.Data").Version;

        foreach (var id in PackagedConsumer.ShippedLibraryIds)
        {
            Assert.Equal("package", assets.Libraries[$"{id}/{version}"]);
        }

        Assert.DoesNotContain(assets.Libraries, l => l.Value == "project");
    }

    // The consumer is portable (no RuntimeIdentifier), as most applications are: its restore lists each
    // package's native files per runtime, and the build copies them all under runtimes/<rid>/native.
    // DuckDB ships one universal macOS library under the plain "osx" runtime.
    [Theory]
    [InlineData("linux-x64", "linux-x64")]
    [InlineData("linux-arm64", "linux-arm64")]
    [InlineData("osx-arm64", "osx-arm64", "osx")]
    [InlineData("win-x64", "win-x64")]
    public async Task Consumer_restore_brings_native_DuckDB_SQLite_and_RocksDB_for(string runtime, params string[] servedBy)
    {
        await consumer.BuildAsync();
        var assets = consumer.Assets();
        var (duckDb, sqlite, rocksDb) = NativeFiles[runtime.Split('-')[0]];

        var native = servedBy.SelectMany(rid => assets.NativeAssets("net10.0", rid)).ToList();

        var listing = $"native assets for {string.Join(" or ", servedBy)}: [{string.Join(", ", native)}]";
        Assert.True(native.Any(a => a.StartsWith("DuckDB.NET.Bindings.Full/", StringComparison.Ordinal) && a.EndsWith("/" + duckDb, StringComparison.Ordinal)), $"no {duckDb}; {listing}");
        Assert.True(native.Any(a => a.EndsWith("/" + sqlite, StringComparison.Ordinal)), $"no {sqlite}; {listing}");
        Assert.True(native.Any(a => a.StartsWith("RocksDB/", StringComparison.Ordinal) && a.EndsWith("/" + rocksDb, StringComparison.Ordinal)), $"no {rocksDb}; {listing}");
        foreach (var rid in servedBy.Where(r => native.Any(a => a.Contains($"runtimes/{r}/native/", StringComparison.Ordinal))))
        {
            Assert.True(Directory.Exists(Path.Combine(consumer.ConsumerDirectory, "bin", "Release", "net10.0", "runtimes", rid, "native")), $"runtimes/{rid}/native not in the build output");
        }
    }

    [Fact]
    public async Task Consumer_writes_syncs_answers_analytics_on_DuckDB_and_a_point_read_on_SQLite()
    {
        var run = await consumer.RunAsync();

        AssertConsumerOutput(run);
    }

    [Fact]
    public async Task Consumer_published_for_this_runtime_runs_with_the_native_libraries_beside_it()
    {
        var (publish, run) = await consumer.PublishedAsync();

        Assert.True(publish.Succeeded, publish.Describe());
        var (duckDb, sqlite, rocksDb) = NativeFiles[PackagedConsumer.PublishRuntime.Split('-')[0]];
        Assert.True(File.Exists(Path.Combine(consumer.PublishDirectory, duckDb)), $"{duckDb} not published. {publish.Describe()}");
        Assert.True(File.Exists(Path.Combine(consumer.PublishDirectory, sqlite)), $"{sqlite} not published. {publish.Describe()}");
        Assert.True(File.Exists(Path.Combine(consumer.PublishDirectory, rocksDb)), $"{rocksDb} not published. {publish.Describe()}");
        AssertConsumerOutput(run);
    }

    private static void AssertConsumerOutput(CommandResult run)
    {
        Assert.True(run.Succeeded, run.Describe());
        Assert.Equal(ExpectedOutput(), run.Lines.Where(l => l.Contains(": ", StringComparison.Ordinal) || l == "done"));
    }

    // Computed here from the same rule the consumer writes by, not copied from a run.
    private static IEnumerable<string> ExpectedOutput()
    {
        yield return $"written: {Rows}";
        yield return $"mirrored: {Rows}";
        yield return "analytics route: Olap";
        yield return "analytics answered by: Olap";
        foreach (var (region, index) in Regions.Select((r, i) => (r, i)).OrderBy(r => r.r, StringComparer.Ordinal))
        {
            var ids = Enumerable.Range(1, Rows).Where(id => id % Regions.Length == index).ToList();
            var sum = ids.Sum(id => (id % 100) * 0.25);
            yield return string.Create(CultureInfo.InvariantCulture, $"analytics row: {region} {ids.Count} {sum:R}");
        }

        yield return "point route: Oltp";
        yield return "point answered by: Oltp";
        yield return string.Create(CultureInfo.InvariantCulture, $"point row: {PointId} {Regions[PointId % Regions.Length]} {(PointId % 100) * 0.25:R}");
        yield return "arrow route: Olap";
        yield return "arrow schema: utf8,int64,double";
        yield return $"arrow rows: {Regions.Length} groups counting {Rows} orders";
        yield return $"ef count: {Rows}";
        yield return "di registers: RheiDataSource,DbDataSource,RheiConnection,DbConnection";
        yield return "health check registered: rhei";
        yield return "health: Healthy";
        yield return "done";
    }
}
