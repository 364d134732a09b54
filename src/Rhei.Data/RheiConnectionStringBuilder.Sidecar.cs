using System.Collections;
using System.Data.Common;
using System.Globalization;

namespace Rhei.Data;

// The sidecar keys: following an external SQLite file or PostgreSQL server (see docs/architecture.md, Sidecar).
public sealed partial class RheiConnectionStringBuilder
{
    /// <summary>The external database followed in sidecar mode; <see cref="RheiSidecar.None"/> (default) follows none.</summary>
    public RheiSidecar Sidecar
    {
        get => ParseEnum<RheiSidecar>(SidecarKeyword, GetString(SidecarKeyword), RheiSidecar.None);
        set => this[SidecarKeyword] = value.ToString();
    }

    /// <summary>
    /// The followed database: the SQLite file's path, or a quoted Npgsql connection string. Its password is hidden
    /// by <see cref="ToString"/> and never logged.
    /// </summary>
    public string SidecarSource
    {
        get => GetString(SidecarSourceKeyword) ?? string.Empty;
        set => this[SidecarSourceKeyword] = value;
    }

    /// <summary>How changes are captured: <see cref="RheiSidecarCapture.Timestamp"/> for SQLite, <see cref="RheiSidecarCapture.LogicalReplication"/> by default for PostgreSQL.</summary>
    public RheiSidecarCapture SidecarCapture
    {
        get => ParseEnum<RheiSidecarCapture>(
            SidecarCaptureKeyword,
            GetString(SidecarCaptureKeyword),
            Sidecar == RheiSidecar.PostgreSql ? RheiSidecarCapture.LogicalReplication : RheiSidecarCapture.Timestamp);
        set => this[SidecarCaptureKeyword] = value.ToString();
    }

    /// <summary>A comma-separated list of followed tables; empty (default) follows every table with a primary key.</summary>
    public string SidecarTables
    {
        get => GetString(SidecarTablesKeyword) ?? string.Empty;
        set => this[SidecarTablesKeyword] = value;
    }

    /// <summary>The column timestamp capture polls by (default <c>updated_at</c>).</summary>
    public string UpdatedAtColumn
    {
        get => GetString(UpdatedAtColumnKeyword) ?? "updated_at";
        set => this[UpdatedAtColumnKeyword] = value;
    }

    /// <summary>The column that holds a row's creation time (default <c>created_at</c>), used when the updated-at column is NULL.</summary>
    public string CreatedAtColumn
    {
        get => GetString(CreatedAtColumnKeyword) ?? "created_at";
        set => this[CreatedAtColumnKeyword] = value;
    }

    /// <summary>How timestamp capture learns of deleted rows.</summary>
    public RheiDeleteDetection DeleteDetection
    {
        get => ParseEnum<RheiDeleteDetection>(DeleteDetectionKeyword, GetString(DeleteDetectionKeyword), RheiDeleteDetection.Disabled);
        set => this[DeleteDetectionKeyword] = value.ToString();
    }

    /// <summary>With <see cref="RheiDeleteDetection.SoftDelete"/>, the column whose value marks a row deleted.</summary>
    public string SoftDeleteColumn
    {
        get => GetString(SoftDeleteColumnKeyword) ?? string.Empty;
        set => this[SoftDeleteColumnKeyword] = value;
    }

    /// <summary>
    /// With logical replication, the name of the PostgreSQL publication and replication slot Rhei creates or reuses
    /// (default <c>rhei</c>). A slot name belongs to the whole server: give each mirror that follows one server its own.
    /// </summary>
    public string SidecarReplicationName
    {
        get => GetString(SidecarReplicationNameKeyword) ?? "rhei";
        set => this[SidecarReplicationNameKeyword] = value;
    }

    /// <summary>In sidecar mode, whether writes go to the local <c>Data Source</c> file (true) or are refused (false, default).</summary>
    public bool LocalOltp
    {
        get => ParseBool(LocalOltpKeyword, GetString(LocalOltpKeyword), false);
        set => this[LocalOltpKeyword] = value ? "True" : "False";
    }

    /// <summary>Most rows timestamp capture reads from one table in one poll (default 10,000).</summary>
    public int SidecarPollBatchSize
    {
        get => ParseInt(SidecarPollBatchSizeKeyword, GetString(SidecarPollBatchSizeKeyword), 10_000, 1);
        set => this[SidecarPollBatchSizeKeyword] = value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A <c>Sidecar Source</c> holding a connection string (PostgreSQL) with its password keys replaced by <c>***</c>;
    /// a plain path comes back as it is. Even a source that does not parse is shown without anything after a password key.
    /// </summary>
    internal static object? RedactNested(object? value)
    {
        var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        if (!text.Contains('=', StringComparison.Ordinal))
        {
            return value;
        }

        try
        {
            var nested = new DbConnectionStringBuilder { ConnectionString = text };
            var copy = new DbConnectionStringBuilder();
            foreach (DictionaryEntry entry in (IDictionary)nested)
            {
                var key = (string)entry.Key;
                copy[key] = IsPasswordKey(key) ? "***" : entry.Value;
            }

            return copy.ConnectionString;
        }
        catch (ArgumentException)
        {
            // Not a well-formed connection string: cut it at the first password key so nothing after it shows.
            var at = text.IndexOf("pass", StringComparison.OrdinalIgnoreCase) is var p and >= 0 ? p : text.IndexOf("pwd", StringComparison.OrdinalIgnoreCase);
            return at >= 0 ? text[..at] + "***" : text;
        }
    }
}
