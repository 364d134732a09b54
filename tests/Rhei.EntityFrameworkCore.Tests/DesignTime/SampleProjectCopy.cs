using System.Reflection;
using System.Xml.Linq;
using Microsoft.Data.Sqlite;

namespace Rhei.EntityFrameworkCore.Tests.DesignTime;

/// <summary>
/// A copy of samples/Rhei.EntityFrameworkCore.Sample in a temp directory, so that <c>dotnet ef</c> can write
/// migrations and scaffolded code (and build them) without leaving a file in the repository. The copy builds against
/// the repository's own projects and package versions: its project references point back at them by full path, and
/// the temp directory's Directory.Build.props and Directory.Packages.props import the repository's.
/// </summary>
internal sealed class SampleProjectCopy : IDisposable
{
    public const string SampleName = "Rhei.EntityFrameworkCore.Sample";

    private SampleProjectCopy(string repositoryRoot, string directory)
    {
        RepositoryRoot = repositoryRoot;
        Directory = directory;
        ProjectDirectory = Path.Combine(directory, "Sample");
        ProjectFile = Path.Combine(ProjectDirectory, SampleName + ".csproj");
        DatabaseFile = Path.Combine(directory, "shop.db");
    }

    public string RepositoryRoot { get; }

    public string Directory { get; }

    public string ProjectDirectory { get; }

    public string ProjectFile { get; }

    /// <summary>The database the sample's design-time factory opens (it reads the path from <c>RHEI_SAMPLE_DB</c>).</summary>
    public string DatabaseFile { get; }

    /// <summary>The configuration the test assembly was built in: the repository's projects are already built in it.</summary>
    public static string Configuration
        => typeof(SampleProjectCopy).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is { Length: > 0 } configuration
            ? configuration
            : "Release";

    public static SampleProjectCopy Create()
    {
        var root = FindRepositoryRoot();
        var copy = new SampleProjectCopy(root, Path.Combine(Path.GetTempPath(), "rhei-ef-design-" + Guid.NewGuid().ToString("N")));
        try
        {
            copy.Populate();
            return copy;
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    private void Populate()
    {
        var source = Path.Combine(RepositoryRoot, "samples", SampleName);
        System.IO.Directory.CreateDirectory(ProjectDirectory);
        foreach (var file in System.IO.Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            // Build output of the sample in place (bin/, obj/) is not part of it.
            if (relative.Split(Path.DirectorySeparatorChar)[0] is "bin" or "obj")
            {
                continue;
            }

            var target = Path.Combine(ProjectDirectory, relative);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var project = XDocument.Load(Path.Combine(source, SampleName + ".csproj"));
        foreach (var reference in project.Descendants("ProjectReference"))
        {
            var include = reference.Attribute("Include") ?? throw new InvalidOperationException("A ProjectReference without Include in the sample.");
            include.Value = Path.GetFullPath(Path.Combine(source, include.Value));
        }

        project.Save(ProjectFile);
        File.WriteAllText(Path.Combine(Directory, "Directory.Build.props"), ImportOf("Directory.Build.props"));
        File.WriteAllText(Path.Combine(Directory, "Directory.Packages.props"), ImportOf("Directory.Packages.props"));
        File.Copy(Path.Combine(RepositoryRoot, "nuget.config"), Path.Combine(Directory, "nuget.config"));
    }

    private string ImportOf(string file)
        => new XDocument(new XElement("Project", new XElement("Import", new XAttribute("Project", Path.Combine(RepositoryRoot, file))))).ToString();

    /// <summary>The directory holding Rhei.Data.sln and the tool manifest, found upwards from the test assembly.</summary>
    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Rhei.Data.sln"))
                && File.Exists(Path.Combine(directory.FullName, ".config", "dotnet-tools.json")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Rhei.Data.sln with .config/dotnet-tools.json above {AppContext.BaseDirectory}.");
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
            // A file still held open only leaves a temp directory behind; the test's verdict stands.
        }
    }
}
