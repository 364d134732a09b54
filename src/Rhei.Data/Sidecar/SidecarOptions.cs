namespace Rhei.Data.Sidecar;

/// <summary>
/// The sidecar part of a data source's options, validated once from the connection string: which source, how it
/// captures, whether local writes are allowed, and what the source is told (<see cref="Settings"/>). Null in
/// <see cref="RheiOptions.Sidecar"/> when <c>Sidecar=None</c>.
/// </summary>
internal sealed record SidecarOptions(RheiSidecar Kind, RheiSidecarCapture Capture, bool LocalOltp, SidecarSettings Settings)
{
    /// <summary>Hears the rows the first start's copy has copied so far (<see cref="RheiDataSourceBuilder.UseSidecarCopyProgress"/>).</summary>
    public IProgress<long>? CopyProgress { get; init; }

    /// <summary>Printable form: never the source's connection string.</summary>
    public override string ToString() => $"SidecarOptions {{ Kind = {Kind}, Capture = {Capture}, LocalOltp = {LocalOltp}, {Settings} }}";

    /// <summary>Reads and checks the sidecar keys; every error names its key and harms nothing (no engine starts).</summary>
    public static SidecarOptions? From(RheiConnectionStringBuilder builder)
    {
        var kind = builder.Sidecar;
        if (kind == RheiSidecar.None)
        {
            foreach (var key in s_sidecarOnlyKeys)
            {
                if (builder.ContainsKey(key))
                {
                    throw new ArgumentException(
                        $"Connection string keyword '{key}' configures sidecar mode, but 'Sidecar' is None. Set 'Sidecar=Sqlite' or 'Sidecar=PostgreSql', or remove the key.",
                        key);
                }
            }

            return null;
        }

        if (builder.Olap != RheiOlapEngine.DuckDb)
        {
            throw new ArgumentException("Sidecar mode needs the DuckDB mirror: remove 'Olap=None' (a sidecar exists to answer analytics from DuckDB).", "Olap");
        }

        var source = builder.SidecarSource.Trim();
        if (source.Length == 0)
        {
            throw new ArgumentException(
                kind == RheiSidecar.Sqlite
                    ? "'Sidecar=Sqlite' needs 'Sidecar Source', the path of the SQLite file to follow."
                    : "'Sidecar=PostgreSql' needs 'Sidecar Source', a quoted Npgsql connection string (\"Sidecar Source='Host=db;Database=app;Username=rhei'\").",
                "Sidecar Source");
        }

        var capture = builder.SidecarCapture;
        if (kind == RheiSidecar.Sqlite && capture != RheiSidecarCapture.Timestamp)
        {
            throw new ArgumentException($"'Sidecar Capture={capture}' is for PostgreSQL sources; a SQLite source is followed by 'Timestamp' capture.", "Sidecar Capture");
        }

        var detection = builder.DeleteDetection;
        var softDelete = builder.SoftDeleteColumn.Trim();
        if (detection == RheiDeleteDetection.SoftDelete && softDelete.Length == 0)
        {
            throw new ArgumentException("'Delete Detection=SoftDelete' needs 'Soft Delete Column', the column whose value marks a row deleted.", "Soft Delete Column");
        }

        if (detection != RheiDeleteDetection.SoftDelete && softDelete.Length > 0)
        {
            throw new ArgumentException($"'Soft Delete Column' is used only with 'Delete Detection=SoftDelete' (it is {detection}).", "Soft Delete Column");
        }

        var updatedAt = RequireName(builder.UpdatedAtColumn, "Updated At Column");
        var createdAt = RequireName(builder.CreatedAtColumn, "Created At Column");
        var tables = builder.SidecarTables.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var settings = new SidecarSettings(
            source,
            tables,
            updatedAt,
            createdAt,
            detection switch
            {
                RheiDeleteDetection.KeyScan => SidecarDeleteDetection.KeyScan,
                RheiDeleteDetection.SoftDelete => SidecarDeleteDetection.SoftDelete,
                _ => SidecarDeleteDetection.Disabled,
            },
            softDelete.Length == 0 ? null : softDelete,
            builder.SidecarPollBatchSize)
        {
            ReplicationName = builder.SidecarReplicationName,
        };
        return new SidecarOptions(kind, capture, builder.LocalOltp, settings);
    }

    private static readonly string[] s_sidecarOnlyKeys =
    [
        "Sidecar Source", "Sidecar Capture", "Sidecar Tables", "Updated At Column", "Created At Column", "Delete Detection",
        "Soft Delete Column", "Local Oltp", "Sidecar Poll Batch Size", "Sidecar Replication Name",
    ];

    private static string RequireName(string value, string key)
        => value.Trim() is { Length: > 0 } name
            ? name
            : throw new ArgumentException($"Connection string keyword '{key}' names a column and cannot be empty.", key);
}
