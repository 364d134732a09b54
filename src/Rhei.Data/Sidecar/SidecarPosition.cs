namespace Rhei.Data.Sidecar;

/// <summary>
/// Where a sidecar source stands, as the source itself writes it (an LSN such as <c>0/16B3748</c>, or a JSON object of
/// per-table compound watermarks). The pipeline stores it in DuckDB beside the rows and hands it back unchanged.
/// </summary>
internal readonly record struct SidecarPosition(string Value)
{
    /// <summary>Before anything was copied.</summary>
    public static SidecarPosition Start { get; } = new(string.Empty);

    public override string ToString() => Value;
}
