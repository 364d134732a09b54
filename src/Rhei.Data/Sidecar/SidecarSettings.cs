namespace Rhei.Data.Sidecar;

/// <summary>
/// What the sidecar configuration (connection string or <c>RheiDataSourceBuilder</c>) says to a source: the source's
/// connection (a SQLite path or an Npgsql connection string: never logged), the tables to follow (empty: every table
/// with a primary key), the timestamp columns, delete detection, and the poll batch size.
/// </summary>
internal sealed record SidecarSettings(
    string Source,
    IReadOnlyList<string> Tables,
    string UpdatedAtColumn,
    string CreatedAtColumn,
    SidecarDeleteDetection DeleteDetection,
    string? SoftDeleteColumn,
    int PollBatchSize)
{
    /// <summary>Per-table overrides from <c>RheiDataSourceBuilder</c> (key columns, timestamp columns, column list).</summary>
    public IReadOnlyDictionary<string, SidecarTableSettings> TableSettings { get; init; } = new Dictionary<string, SidecarTableSettings>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The publication and slot name for logical replication (Rhei creates or reuses them by name).</summary>
    public string ReplicationName { get; init; } = "rhei";

    /// <summary>Printable form: the source's password is never part of it.</summary>
    public override string ToString() => $"SidecarSettings {{ Tables = [{string.Join(", ", Tables)}], DeleteDetection = {DeleteDetection}, PollBatchSize = {PollBatchSize} }}";
}
