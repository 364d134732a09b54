namespace Rhei.Data;

/// <summary>What a change did to its row.</summary>
public enum RheiChangeOperation
{
    /// <summary>The row was inserted.</summary>
    Insert,

    /// <summary>The row was updated.</summary>
    Update,

    /// <summary>The row was deleted.</summary>
    Delete,
}
