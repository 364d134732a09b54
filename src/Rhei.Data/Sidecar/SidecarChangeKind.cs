namespace Rhei.Data.Sidecar;

/// <summary>What a sidecar change does to its row. An upsert carries the whole row; the source may not know whether the row is new.</summary>
internal enum SidecarChangeKind
{
    Upsert,

    Delete,
}
