using System.IO.Compression;
using System.Xml.Linq;

namespace Rhei.Data.PackageTests;

/// <summary>A .nupkg as a consumer's restore sees it: its files and its nuspec.</summary>
public sealed class PackedPackage
{
    private readonly XElement _metadata;

    private PackedPackage(string path, IReadOnlyList<string> files, XElement metadata)
    {
        Path = path;
        Files = files;
        _metadata = metadata;
    }

    public string Path { get; }

    public IReadOnlyList<string> Files { get; }

    public string Id => Metadata("id") ?? "";

    public string Version => Metadata("version") ?? "";

    public static PackedPackage Open(string path)
    {
        using var archive = ZipFile.OpenRead(path);
        var files = archive.Entries.Select(e => e.FullName).ToList();
        var nuspecEntry = archive.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase) && !e.FullName.Contains('/', StringComparison.Ordinal));
        using var stream = nuspecEntry.Open();
        var nuspec = XDocument.Load(stream);
        var metadata = nuspec.Root?.Elements().Single(e => e.Name.LocalName == "metadata")
            ?? throw new InvalidOperationException($"{path}: the nuspec has no metadata element.");
        return new PackedPackage(path, files, metadata);
    }

    /// <summary>The text of a metadata element (<c>description</c>, <c>readme</c>, <c>tags</c>…), or null.</summary>
    public string? Metadata(string name) => _metadata.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    /// <summary>An attribute of a metadata element, e.g. <c>license</c>'s <c>type</c>.</summary>
    public string? MetadataAttribute(string element, string attribute)
        => _metadata.Elements().FirstOrDefault(e => e.Name.LocalName == element)?.Attribute(attribute)?.Value;

    /// <summary>The package ids this package depends on, over every target framework group.</summary>
    public IReadOnlyList<string> DependencyIds =>
        [.. _metadata.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => (string?)e.Attribute("id") ?? "").Distinct()];

    /// <summary>The version range this package asks of <paramref name="id"/>, or null.</summary>
    public string? DependencyVersion(string id) =>
        _metadata.Descendants().FirstOrDefault(e => e.Name.LocalName == "dependency" && (string?)e.Attribute("id") == id)?.Attribute("version")?.Value;
}
