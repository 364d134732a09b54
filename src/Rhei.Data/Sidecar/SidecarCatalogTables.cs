using Rhei.Data.Schema;

namespace Rhei.Data.Sidecar;

/// <summary>
/// The planner's table list in sidecar mode: the local registry's tables and the followed ones in one dictionary,
/// made again only when either side changes, so the reference still identifies a schema version for the translation cache.
/// </summary>
internal sealed class SidecarCatalogTables
{
    private Cache? _last;

    public IReadOnlyDictionary<string, TableSchema> Merge(IReadOnlyDictionary<string, TableSchema>? local, IReadOnlyDictionary<string, TableSchema> followed)
    {
        if (Volatile.Read(ref _last) is { } last && ReferenceEquals(last.Local, local) && ReferenceEquals(last.Followed, followed))
        {
            return last.Merged;
        }

        var merged = new Dictionary<string, TableSchema>(followed, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, schema) in local ?? new Dictionary<string, TableSchema>())
        {
            merged.TryAdd(name, schema);
        }

        Volatile.Write(ref _last, new Cache(local, followed, merged));
        return merged;
    }

    private sealed record Cache(IReadOnlyDictionary<string, TableSchema>? Local, IReadOnlyDictionary<string, TableSchema> Followed, IReadOnlyDictionary<string, TableSchema> Merged);
}
