using System.Text.Json;

namespace Rhei.Data.PackageTests;

/// <summary>The parts of a restored project's <c>obj/project.assets.json</c> the package tests read.</summary>
public sealed class ProjectAssets
{
    private readonly JsonElement _root;

    private ProjectAssets(JsonElement root) => _root = root;

    public static ProjectAssets Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return new ProjectAssets(document.RootElement.Clone());
    }

    /// <summary>The restore targets, e.g. <c>net10.0</c> and <c>net10.0/linux-x64</c>.</summary>
    public IReadOnlyList<string> Targets => [.. _root.GetProperty("targets").EnumerateObject().Select(t => t.Name)];

    /// <summary>Each library of the graph with its type (<c>package</c> or <c>project</c>), keyed <c>Id/Version</c>.</summary>
    public IReadOnlyDictionary<string, string> Libraries =>
        _root.GetProperty("libraries").EnumerateObject()
            .ToDictionary(l => l.Name, l => l.Value.GetProperty("type").GetString() ?? "", StringComparer.OrdinalIgnoreCase);

    /// <summary>The native files a runtime-specific target brings, as <c>Id/Version: path</c>.</summary>
    public IReadOnlyList<string> NativeAssets(string target)
    {
        if (!_root.GetProperty("targets").TryGetProperty(target, out var libraries))
        {
            return [];
        }

        var assets = new List<string>();
        foreach (var library in libraries.EnumerateObject())
        {
            if (library.Value.TryGetProperty("native", out var native))
            {
                assets.AddRange(native.EnumerateObject().Select(file => $"{library.Name}: {file.Name}"));
            }
        }

        return assets;
    }
}
