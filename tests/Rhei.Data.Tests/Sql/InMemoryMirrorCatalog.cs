using Rhei.Data.Schema;
using Rhei.Data.Sql;

namespace Rhei.Data.Tests.Sql;

/// <summary>A mirror catalog held in memory: the planner's view of a mirror, without a connection or an engine.</summary>
internal sealed class InMemoryMirrorCatalog(params RheiTableSchema[] tables) : IMirrorCatalog
{
    private readonly Dictionary<string, TableSchema> _tables
        = tables.ToDictionary(t => t.Name, t => new TableSchema(t), StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, string> Quarantined { get; } = new(StringComparer.OrdinalIgnoreCase);

    public bool OlapAvailable { get; init; } = true;

    public bool TemporalMirror { get; init; }

    public IReadOnlyDictionary<string, TableSchema>? Tables => _tables;

    /// <summary>Tables replicated besides those given with their columns (whose column types the test leaves unknown).</summary>
    public Func<string, bool>? AlsoReplicated { get; init; }

    public bool IsReplicated(string table) => _tables.ContainsKey(table) || (AlsoReplicated?.Invoke(table) ?? false);

    public bool IsTemporal(string table) => TemporalMirror && IsReplicated(table);

    public string? QuarantineReason(string table) => Quarantined.GetValueOrDefault(table);
}
