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

    /// <summary>
    /// The native files a portable (RID-less) target brings for runtime <paramref name="rid"/>, as
    /// <c>Id/Version: path</c>: its <c>runtimeTargets</c>, which the build copies to <c>runtimes/&lt;rid&gt;/native</c>.
    /// </summary>
    public IReadOnlyList<string> NativeAssets(string target, string rid)
    {
        if (!_root.GetProperty("targets").TryGetProperty(target, out var libraries))
        {
            return [];
        }

        var assets = new List<string>();
        foreach (var library in libraries.EnumerateObject())
        {
            if (!library.Value.TryGetProperty("runtimeTargets", out var runtimeTargets))
            {
                continue;
            }

            foreach (var file in runtimeTargets.EnumerateObject())
            {
                if (file.Value.TryGetProperty("assetType", out var type) && type.GetString() == "native"
                    && file.Value.TryGetProperty("rid", out var fileRid) && fileRid.GetString() == rid)
                {
                    assets.Add($"{library.Name}: {file.Name}");
                }
            }
        }

        return assets;
    }
}
