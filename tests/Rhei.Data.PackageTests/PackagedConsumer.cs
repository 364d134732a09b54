using System.Globalization;
using System.Runtime.InteropServices;

namespace Rhei.Data.PackageTests;

/// <summary>
/// The shipped libraries packed into a temporary folder, and a console project outside the repository that
/// consumes them only as packages. Each stage runs once, when a test first needs it; the temporary
/// directory goes when the test class is done.
/// </summary>
public sealed class PackagedConsumer : IAsyncLifetime
{
    /// <summary>The shipped libraries, which the consumer references.</summary>
    public static readonly IReadOnlyList<string> ShippedLibraryIds = ["Rhei.Data", "Rhei.Data.DependencyInjection", "Rhei.Data.FlightSql", "Rhei.Data.HealthChecks", "Rhei.EntityFrameworkCore"];

    /// <summary>The shipped .NET tools (installed with <c>dotnet tool install</c>, never referenced).</summary>
    public static readonly IReadOnlyList<string> ShippedToolIds = ["Rhei.Tool"];

    /// <summary>Every packable project of the solution, and nothing else.</summary>
    public static readonly IReadOnlyList<string> ShippedPackageIds = [.. ShippedLibraryIds.Concat(ShippedToolIds).Order(StringComparer.Ordinal)];

    private const string ConsumerName = "RheiConsumer";
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "rhei-package-test-" + Guid.NewGuid().ToString("N"));
    // A prerelease version no earlier run used, so a package cached under the same id and version anywhere
    // (a developer's global packages folder, say) can never stand in for the one packed now.
    private readonly string _versionSuffix = "pkgtest." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
    private readonly Lazy<Task<IReadOnlyList<PackedPackage>>> _packages;
    private readonly Lazy<Task<CommandResult>> _build;
    private readonly Lazy<Task<CommandResult>> _run;
    private readonly Lazy<Task<(CommandResult Publish, CommandResult Run)>> _published;

    public PackagedConsumer()
    {
        _packages = new(PackAsync);
        _build = new(BuildConsumerAsync);
        _run = new(RunConsumerAsync);
        _published = new(PublishConsumerAsync);
    }

    public string Feed => Path.Combine(_root, "feed");

    public string ConsumerDirectory => Path.Combine(_root, ConsumerName);

    /// <summary>
    /// The runtime <c>dotnet publish -r</c> targets: this machine's, as a portable RID (linux-x64 on CI).
    /// Built from the OS and architecture because a distribution's own .NET build may report a
    /// distribution-specific RID that packages do not ship for.
    /// </summary>
    public static string PublishRuntime { get; } =
        (OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux") + "-"
        + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();

    public string PublishDirectory => Path.Combine(_root, "publish");

    public Task<IReadOnlyList<PackedPackage>> PackagesAsync() => _packages.Value;

    /// <summary>Restore and build of the consumer (a failed one fails the test with its log).</summary>
    public Task<CommandResult> BuildAsync() => _build.Value;

    /// <summary>The consumer's run from its build output.</summary>
    public Task<CommandResult> RunAsync() => _run.Value;

    /// <summary><c>dotnet publish -r</c> of the consumer and a run of the published executable.</summary>
    public Task<(CommandResult Publish, CommandResult Run)> PublishedAsync() => _published.Value;

    public ProjectAssets Assets() => ProjectAssets.Load(Path.Combine(ConsumerDirectory, "obj", "project.assets.json"));

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        // Every child process has exited (or was killed) by now. A file still held open somewhere (a virus
        // scanner, an indexer) only costs disk in the temporary folder, so after a few tries it is left.
        for (var attempt = 0; attempt < 3 && Directory.Exists(_root); attempt++)
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await Task.Delay(500);
            }
        }
    }

    private async Task<IReadOnlyList<PackedPackage>> PackAsync()
    {
        // The solution, as a developer would pack it; the libraries were built with this test project.
        var pack = await ChildProcess.RunDotnetAsync(
            ["pack", RepositoryLayout.Solution, "-c", RepositoryLayout.Configuration, "--no-build", "--no-restore",
             "-o", Feed, $"-p:VersionSuffix={_versionSuffix}", "--disable-build-servers"],
            RepositoryLayout.Root, PackTimeout);
        Require(pack);
        return [.. Directory.GetFiles(Feed, "*.nupkg").Order(StringComparer.Ordinal).Select(PackedPackage.Open)];
    }

    private async Task<CommandResult> BuildConsumerAsync()
    {
        var packages = await PackagesAsync();
        var version = packages.Single(p => p.Id == "Rhei.Data").Version;
        await WriteConsumerAsync(version);
        var build = await ChildProcess.RunDotnetAsync(
            ["build", "-c", "Release", "--disable-build-servers"], ConsumerDirectory, BuildTimeout, ConsumerEnvironment);
        Require(build);
        return build;
    }

    private async Task<CommandResult> RunConsumerAsync()
    {
        await BuildAsync();
        var data = Directory.CreateDirectory(Path.Combine(_root, "data")).FullName;
        var program = Path.Combine(ConsumerDirectory, "bin", "Release", "net10.0", ConsumerName + ".dll");
        return await ChildProcess.RunDotnetAsync([program, data], ConsumerDirectory, RunTimeout);
    }

    private async Task<(CommandResult Publish, CommandResult Run)> PublishConsumerAsync()
    {
        await BuildAsync();
        var publish = await ChildProcess.RunDotnetAsync(
            ["publish", "-c", "Release", "-r", PublishRuntime, "-o", PublishDirectory, "--disable-build-servers"],
            ConsumerDirectory, BuildTimeout, ConsumerEnvironment);
        if (!publish.Succeeded)
        {
            return (publish, publish);
        }

        var data = Directory.CreateDirectory(Path.Combine(_root, "data-published")).FullName;
        var executable = Path.Combine(PublishDirectory, OperatingSystem.IsWindows() ? ConsumerName + ".exe" : ConsumerName);
        var run = await ChildProcess.RunAsync(executable, [data], PublishDirectory, RunTimeout);
        return (publish, run);
    }

    /// <summary>
    /// Installs the packed <c>rhei</c> tool from the feed into a tool path, as <c>dotnet tool install</c> does for a user,
    /// and runs it with <paramref name="arguments"/>.
    /// </summary>
    public async Task<(CommandResult Install, CommandResult Run)> InstallAndRunToolAsync(params string[] arguments)
    {
        var version = (await PackagesAsync()).Single(p => p.Id == "Rhei.Tool").Version;
        var toolPath = Path.Combine(_root, "tools");
        var install = await ChildProcess.RunDotnetAsync(
            ["tool", "install", "Rhei.Tool", "--version", version, "--tool-path", toolPath, "--add-source", Feed],
            _root, BuildTimeout, ConsumerEnvironment);
        if (!install.Succeeded)
        {
            return (install, install);
        }

        var executable = Path.Combine(toolPath, OperatingSystem.IsWindows() ? "rhei.exe" : "rhei");
        var run = await ChildProcess.RunAsync(executable, arguments, _root, RunTimeout);
        return (install, run);
    }

    private async Task WriteConsumerAsync(string version)
    {
        Directory.CreateDirectory(ConsumerDirectory);
        // Empty build files at the top of the temporary tree: MSBuild stops its upward search here, so no
        // Directory.Build.props / Directory.Packages.props of any enclosing folder applies.
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            await File.WriteAllTextAsync(Path.Combine(_root, file), "<Project />\n");
        }

        var references = string.Join(Environment.NewLine, ShippedLibraryIds.Select(id => $"""    <PackageReference Include="{id}" Version="{version}" />"""));
        await File.WriteAllTextAsync(Path.Combine(ConsumerDirectory, ConsumerName + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
            {references}
              </ItemGroup>
            </Project>

            """);

        // The packed folder is one more source; the machine's own sources stay (no <clear />), and its global
        // packages folder is a read-only fallback, so restore copies nothing but Rhei's packages.
        var globalPackages = await MachineGlobalPackagesFolderAsync();
        await File.WriteAllTextAsync(Path.Combine(ConsumerDirectory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="rhei-packed" value="{Feed}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{globalPackages}" />
              </fallbackPackageFolders>
            </configuration>

            """);

        File.Copy(Path.Combine(AppContext.BaseDirectory, "Consumer", "Program.cs"), Path.Combine(ConsumerDirectory, "Program.cs"), overwrite: true);
    }

    // Packages the consumer restores (Rhei's, and anything the machine lacks) land inside the temporary
    // directory, never in the machine's global packages folder.
    private Dictionary<string, string> ConsumerEnvironment => new() { ["NUGET_PACKAGES"] = Path.Combine(_root, "packages") };

    private async Task<string> MachineGlobalPackagesFolderAsync()
    {
        var locals = await ChildProcess.RunDotnetAsync(["nuget", "locals", "global-packages", "--list"], RepositoryLayout.Root, RunTimeout);
        Require(locals);
        const string Prefix = "global-packages:";
        var line = locals.Lines.FirstOrDefault(l => l.StartsWith(Prefix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException("No global-packages folder reported. " + locals.Describe());
        return line[Prefix.Length..].Trim();
    }

    private static void Require(CommandResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(result.Describe());
        }
    }
}
