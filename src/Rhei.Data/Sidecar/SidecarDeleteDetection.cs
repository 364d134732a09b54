namespace Rhei.Data.Sidecar;

/// <summary>How timestamp capture learns of deleted rows (logical replication sees deletes and ignores this).</summary>
internal enum SidecarDeleteDetection
{
    /// <summary>Deletes at the source are not followed.</summary>
    Disabled,

    /// <summary>A periodic comparison of the source's key set with the mirror's finds deleted keys.</summary>
    KeyScan,

    /// <summary>A row whose soft-delete column is set counts as deleted.</summary>
    SoftDelete,
}
