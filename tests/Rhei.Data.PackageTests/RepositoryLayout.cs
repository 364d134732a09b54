using System.Reflection;

namespace Rhei.Data.PackageTests;

/// <summary>Where the repository is, found from this test's build output, and how it was built.</summary>
internal static class RepositoryLayout
{
    /// <summary>The folder holding <c>Rhei.Data.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    public static string Solution => Path.Combine(Root, "Rhei.Data.sln");

    /// <summary>
    /// The configuration this assembly was built in. Its project references build the shipped libraries in the
    /// same one, so packing that configuration without a build packs what the tests were built from.
    /// </summary>
    public static string Configuration { get; } =
        typeof(RepositoryLayout).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Rhei.Data.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No Rhei.Data.sln above {AppContext.BaseDirectory}: the package tests run from their build output inside the repository.");
    }
}
