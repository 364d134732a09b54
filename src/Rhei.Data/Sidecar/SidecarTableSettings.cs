namespace Rhei.Data.Sidecar;

/// <summary>Per-table sidecar settings a connection string cannot say: null keeps the default.</summary>
internal sealed record SidecarTableSettings(
    IReadOnlyList<string>? Columns,
    IReadOnlyList<string>? PrimaryKey,
    string? UpdatedAtColumn,
    string? CreatedAtColumn);
