namespace Rhei.Data;

/// <summary>How timestamp capture learns of deleted rows (connection string key <c>Delete Detection</c>).</summary>
public enum RheiDeleteDetection
{
    /// <summary>Deletes at the source are not followed: the mirror keeps the row.</summary>
    Disabled,

    /// <summary>A periodic comparison of the source's key set with the mirror's finds deleted keys.</summary>
    KeyScan,

    /// <summary>A row whose <c>Soft Delete Column</c> is set (not NULL, not 0) counts as deleted.</summary>
    SoftDelete,
}
