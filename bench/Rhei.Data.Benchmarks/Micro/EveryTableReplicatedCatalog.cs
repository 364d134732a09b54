using Rhei.Data.Schema;
using Rhei.Data.Sql;

namespace Rhei.Data.Benchmarks.Micro;

/// <summary>The router's view of a mirror that holds every table and quarantines none: routing measured alone, without an engine.</summary>
internal sealed class EveryTableReplicatedCatalog : IMirrorCatalog
{
    public static EveryTableReplicatedCatalog Instance { get; } = new();

    public bool OlapAvailable => true;

    public bool TemporalMirror => false;

    public IReadOnlyDictionary<string, TableSchema>? Tables => null;

    public bool IsReplicated(string table) => true;

    public bool IsTemporal(string table) => false;

    public string? QuarantineReason(string table) => null;
}
