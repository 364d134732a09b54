using System.Collections;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Rhei.Data;

/// <summary>
/// Builds and parses Rhei.Data connection strings. Rhei's own keys are validated here; every
/// other key must be one Microsoft.Data.Sqlite accepts and is passed to SQLite unchanged.
/// An unknown key or a bad value fails at once with the key named.
/// </summary>
public sealed partial class RheiConnectionStringBuilder : DbConnectionStringBuilder
{
    private const string DataSourceKeyword = "Data Source";
    private const string OlapKeyword = "Olap";
    private const string OlapPathKeyword = "Olap Path";
    private const string OlapExternalAccessKeyword = "Olap External Access";
    private const string OlapMemoryLimitKeyword = "Olap Memory Limit";
    private const string ReplicateKeyword = "Replicate";
    private const string SyncModeKeyword = "Sync Mode";
    private const string SyncIntervalKeyword = "Sync Interval";
    private const string SyncBatchSizeKeyword = "Sync Batch Size";
    private const string PruneAfterSyncKeyword = "Prune After Sync";
    private const string FreshnessKeyword = "Freshness";
    private const string MaxStalenessKeyword = "Max Staleness";
    private const string DefaultRouteKeyword = "Default Route";
    private const string FullScanThresholdKeyword = "Full Scan Threshold";
    private const string BridgePathKeyword = "Bridge Path";
    private const string SchemaRegistryPathKeyword = "Schema Registry Path";
    private const string PersistSecurityInfoKeyword = "Persist Security Info";
    private const string SqliteDefaultTimeoutKeyword = "Default Timeout";
    private const string SidecarKeyword = "Sidecar";
    private const string SidecarSourceKeyword = "Sidecar Source";
    private const string SidecarCaptureKeyword = "Sidecar Capture";
    private const string SidecarTablesKeyword = "Sidecar Tables";
    private const string UpdatedAtColumnKeyword = "Updated At Column";
    private const string CreatedAtColumnKeyword = "Created At Column";
    private const string DeleteDetectionKeyword = "Delete Detection";
    private const string SoftDeleteColumnKeyword = "Soft Delete Column";
    private const string SidecarReplicationNameKeyword = "Sidecar Replication Name";
    private const string LocalOltpKeyword = "Local Oltp";
    private const string SidecarPollBatchSizeKeyword = "Sidecar Poll Batch Size";

    private enum Keyword
    {
        DataSource,
        Olap,
        OlapPath,
        Replicate,
        SyncMode,
        SyncInterval,
        SyncBatchSize,
        PruneAfterSync,
        Freshness,
        MaxStaleness,
        DefaultRoute,
        BridgePath,
        SchemaRegistryPath,
        PersistSecurityInfo,
        OlapExternalAccess,
        Sidecar,
        SidecarSource,
        SidecarCapture,
        SidecarTables,
        UpdatedAtColumn,
        CreatedAtColumn,
        DeleteDetection,
        SoftDeleteColumn,
        LocalOltp,
        SidecarPollBatchSize,
        SidecarReplicationName,
        FullScanThreshold,
        OlapMemoryLimit,
    }

    private static readonly IReadOnlyDictionary<string, Keyword> s_keywords = new Dictionary<string, Keyword>(StringComparer.OrdinalIgnoreCase)
    {
        [DataSourceKeyword] = Keyword.DataSource,
        ["DataSource"] = Keyword.DataSource,
        ["Filename"] = Keyword.DataSource,
        [OlapKeyword] = Keyword.Olap,
        [OlapPathKeyword] = Keyword.OlapPath,
        ["OlapPath"] = Keyword.OlapPath,
        [OlapExternalAccessKeyword] = Keyword.OlapExternalAccess,
        ["OlapExternalAccess"] = Keyword.OlapExternalAccess,
        [OlapMemoryLimitKeyword] = Keyword.OlapMemoryLimit,
        ["OlapMemoryLimit"] = Keyword.OlapMemoryLimit,
        [ReplicateKeyword] = Keyword.Replicate,
        [SyncModeKeyword] = Keyword.SyncMode,
        ["SyncMode"] = Keyword.SyncMode,
        [SyncIntervalKeyword] = Keyword.SyncInterval,
        ["SyncInterval"] = Keyword.SyncInterval,
        [SyncBatchSizeKeyword] = Keyword.SyncBatchSize,
        ["SyncBatchSize"] = Keyword.SyncBatchSize,
        [PruneAfterSyncKeyword] = Keyword.PruneAfterSync,
        ["PruneAfterSync"] = Keyword.PruneAfterSync,
        [FreshnessKeyword] = Keyword.Freshness,
        [MaxStalenessKeyword] = Keyword.MaxStaleness,
        ["MaxStaleness"] = Keyword.MaxStaleness,
        [DefaultRouteKeyword] = Keyword.DefaultRoute,
        ["DefaultRoute"] = Keyword.DefaultRoute,
        [FullScanThresholdKeyword] = Keyword.FullScanThreshold,
        ["FullScanThreshold"] = Keyword.FullScanThreshold,
        [BridgePathKeyword] = Keyword.BridgePath,
        ["BridgePath"] = Keyword.BridgePath,
        [SchemaRegistryPathKeyword] = Keyword.SchemaRegistryPath,
        ["SchemaRegistryPath"] = Keyword.SchemaRegistryPath,
        [PersistSecurityInfoKeyword] = Keyword.PersistSecurityInfo,
        ["PersistSecurityInfo"] = Keyword.PersistSecurityInfo,
        [SidecarKeyword] = Keyword.Sidecar,
        [SidecarSourceKeyword] = Keyword.SidecarSource,
        ["SidecarSource"] = Keyword.SidecarSource,
        [SidecarCaptureKeyword] = Keyword.SidecarCapture,
        ["SidecarCapture"] = Keyword.SidecarCapture,
        [SidecarTablesKeyword] = Keyword.SidecarTables,
        ["SidecarTables"] = Keyword.SidecarTables,
        [UpdatedAtColumnKeyword] = Keyword.UpdatedAtColumn,
        ["UpdatedAtColumn"] = Keyword.UpdatedAtColumn,
        [CreatedAtColumnKeyword] = Keyword.CreatedAtColumn,
        ["CreatedAtColumn"] = Keyword.CreatedAtColumn,
        [DeleteDetectionKeyword] = Keyword.DeleteDetection,
        ["DeleteDetection"] = Keyword.DeleteDetection,
        [SoftDeleteColumnKeyword] = Keyword.SoftDeleteColumn,
        ["SoftDeleteColumn"] = Keyword.SoftDeleteColumn,
        [SidecarReplicationNameKeyword] = Keyword.SidecarReplicationName,
        ["SidecarReplicationName"] = Keyword.SidecarReplicationName,
        [LocalOltpKeyword] = Keyword.LocalOltp,
        ["LocalOltp"] = Keyword.LocalOltp,
        [SidecarPollBatchSizeKeyword] = Keyword.SidecarPollBatchSize,
        ["SidecarPollBatchSize"] = Keyword.SidecarPollBatchSize,
    };

    private static readonly string[] s_canonicalNames =
    [
        DataSourceKeyword, OlapKeyword, OlapPathKeyword, ReplicateKeyword, SyncModeKeyword, SyncIntervalKeyword,
        SyncBatchSizeKeyword, PruneAfterSyncKeyword, FreshnessKeyword, MaxStalenessKeyword, DefaultRouteKeyword,
        BridgePathKeyword, SchemaRegistryPathKeyword, PersistSecurityInfoKeyword, OlapExternalAccessKeyword,
        SidecarKeyword, SidecarSourceKeyword, SidecarCaptureKeyword, SidecarTablesKeyword, UpdatedAtColumnKeyword,
        CreatedAtColumnKeyword, DeleteDetectionKeyword, SoftDeleteColumnKeyword, LocalOltpKeyword, SidecarPollBatchSizeKeyword, SidecarReplicationNameKeyword,
        FullScanThresholdKeyword, OlapMemoryLimitKeyword,
    ];

    /// <summary>Initializes a new instance with every key at its default.</summary>
    public RheiConnectionStringBuilder()
    {
    }

    /// <summary>Initializes a new instance from a connection string.</summary>
    /// <param name="connectionString">The connection string to parse.</param>
    /// <exception cref="ArgumentException">A key is unknown or a value is invalid; the message names it.</exception>
    public RheiConnectionStringBuilder(string? connectionString)
    {
        ConnectionString = connectionString ?? string.Empty;
    }

    /// <summary>The SQLite database file (the transactional database and system of record).</summary>
    public string DataSource
    {
        get => GetString(DataSourceKeyword) ?? string.Empty;
        set => this[DataSourceKeyword] = value;
    }

    /// <summary>The analytical engine; <see cref="RheiOlapEngine.None"/> makes a plain SQLite connection.</summary>
    public RheiOlapEngine Olap
    {
        get => ParseEnum<RheiOlapEngine>(OlapKeyword, GetString(OlapKeyword), RheiOlapEngine.DuckDb);
        set => this[OlapKeyword] = value.ToString();
    }

    /// <summary>The DuckDB file of a durable mirror; empty for an in-memory mirror rebuilt at start.</summary>
    public string OlapPath
    {
        get => GetString(OlapPathKeyword) ?? string.Empty;
        set => this[OlapPathKeyword] = value;
    }

    /// <summary>
    /// Whether SQL run on DuckDB may use its file and network functions (<c>read_csv</c>, <c>COPY … TO</c>,
    /// <c>ATTACH</c>). False by default: the mirror reaches only its own files. Extensions are never installed
    /// or loaded on demand, and DuckDB's configuration stays locked either way.
    /// </summary>
    public bool OlapExternalAccess
    {
        get => ParseBool(OlapExternalAccessKeyword, GetString(OlapExternalAccessKeyword), false);
        set => this[OlapExternalAccessKeyword] = value ? "True" : "False";
    }

    /// <summary><c>All</c> (every table with a primary key), <c>None</c>, or a comma-separated list of tables.</summary>
    public string Replicate
    {
        get => GetString(ReplicateKeyword) ?? "All";
        set => this[ReplicateKeyword] = value;
    }

    /// <summary>How the mirror keeps rows.</summary>
    public RheiSyncMode SyncMode
    {
        get => ParseEnum<RheiSyncMode>(SyncModeKeyword, GetString(SyncModeKeyword), RheiSyncMode.Destructive);
        set => this[SyncModeKeyword] = value.ToString();
    }

    /// <summary>Background sync period in milliseconds; 0 syncs only on demand (and for strong reads).</summary>
    public int SyncInterval
    {
        get => ParseInt(SyncIntervalKeyword, GetString(SyncIntervalKeyword), 100, 0);
        set => this[SyncIntervalKeyword] = value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Most change events applied in one sync cycle.</summary>
    public int SyncBatchSize
    {
        get => ParseInt(SyncBatchSizeKeyword, GetString(SyncBatchSizeKeyword), 100_000, 1);
        set => this[SyncBatchSizeKeyword] = value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Whether applied events are deleted from the SQLite change log.</summary>
    public bool PruneAfterSync
    {
        get => ParseBool(PruneAfterSyncKeyword, GetString(PruneAfterSyncKeyword), true);
        set => this[PruneAfterSyncKeyword] = value ? "True" : "False";
    }

    /// <summary>What an analytical read is guaranteed to see.</summary>
    public RheiFreshness Freshness
    {
        get => ParseEnum<RheiFreshness>(FreshnessKeyword, GetString(FreshnessKeyword), RheiFreshness.Strong);
        set => this[FreshnessKeyword] = value.ToString();
    }

    /// <summary>With eventual freshness, the oldest the mirror may be in milliseconds; 0 means unbounded.</summary>
    public int MaxStaleness
    {
        get => ParseInt(MaxStalenessKeyword, GetString(MaxStalenessKeyword), 0, 0);
        set => this[MaxStalenessKeyword] = value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The route of commands whose <see cref="RheiCommand.Route"/> is <see cref="RheiRoute.Auto"/>.</summary>
    public RheiRoute DefaultRoute
    {
        get => ParseEnum<RheiRoute>(DefaultRouteKeyword, GetString(DefaultRouteKeyword), RheiRoute.Auto);
        set => this[DefaultRouteKeyword] = value.ToString();
    }

    /// <summary>
    /// Rows a replicated table must hold before SQLite's own query plan steers a read: a read SQLite would answer by
    /// reading such a table end to end goes to DuckDB even without analytical shape, and an analytical read SQLite
    /// answers through the table's key stays on SQLite. 0 routes by the statement's shape alone.
    /// </summary>
    public int FullScanThreshold
    {
        get => ParseInt(FullScanThresholdKeyword, GetString(FullScanThresholdKeyword), RheiOptions.DefaultFullScanThreshold, 0);
        set => this[FullScanThresholdKeyword] = value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Directory of the durable change log; empty when not used.</summary>
    public string BridgePath
    {
        get => GetString(BridgePathKeyword) ?? string.Empty;
        set => this[BridgePathKeyword] = value;
    }

    /// <summary>A JSON copy of the schema registry; empty when not written.</summary>
    public string SchemaRegistryPath
    {
        get => GetString(SchemaRegistryPathKeyword) ?? string.Empty;
        set => this[SchemaRegistryPathKeyword] = value;
    }

    /// <summary>
    /// Whether <see cref="RheiConnection.ConnectionString"/> keeps the SQLite <c>Password</c> once the connection has
    /// been opened. False by default, as in SqlClient: after <c>Open</c> the connection string comes back without it.
    /// </summary>
    public bool PersistSecurityInfo
    {
        get => ParseBool(PersistSecurityInfoKeyword, GetString(PersistSecurityInfoKeyword), false);
        set => this[PersistSecurityInfoKeyword] = value ? "True" : "False";
    }

    /// <summary>The connection string with its password hidden; <see cref="DbConnectionStringBuilder.ConnectionString"/> keeps it.</summary>
    /// <remarks>
    /// <see cref="object.ToString"/> is what logs, debuggers and exception messages show, so it never carries the
    /// password (the <c>Password</c> value is replaced by <c>***</c>). Use <see cref="DbConnectionStringBuilder.ConnectionString"/>
    /// to get the string to open a connection with.
    /// </remarks>
    public override string ToString() => ToRedactedString();

    /// <inheritdoc />
    [AllowNull]
    public override object this[string keyword]
    {
        get => base[Canonical(keyword)];
        set
        {
            ArgumentNullException.ThrowIfNull(keyword);
            if (value is null)
            {
                Remove(keyword);
                return;
            }

            var canonical = Canonical(keyword);
            var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
            Validate(canonical, text);
            base[canonical] = text;
        }
    }

    /// <inheritdoc />
    public override bool ContainsKey(string keyword) => base.ContainsKey(Canonical(keyword));

    /// <inheritdoc />
    public override bool Remove(string keyword) => base.Remove(Canonical(keyword));

    /// <inheritdoc />
    public override bool TryGetValue(string keyword, [NotNullWhen(true)] out object? value)
        => base.TryGetValue(Canonical(keyword), out value);

    /// <summary>
    /// The connection string SQLite is opened with: the data source and every SQLite key, without Rhei's keys.
    /// </summary>
    internal string ToSqliteConnectionString()
    {
        var sqlite = new SqliteConnectionStringBuilder();
        foreach (DictionaryEntry entry in (IDictionary)this)
        {
            var key = (string)entry.Key;
            if (s_keywords.TryGetValue(key, out var keyword))
            {
                if (keyword == Keyword.DataSource)
                {
                    sqlite.DataSource = (string)entry.Value!;
                }

                continue;
            }

            sqlite[key] = entry.Value;
        }

        return sqlite.ConnectionString;
    }

    /// <summary>The connection string with any password replaced, safe to log and to use as a metric tag.</summary>
    internal string ToRedactedString()
    {
        var copy = new DbConnectionStringBuilder();
        foreach (DictionaryEntry entry in (IDictionary)this)
        {
            var key = (string)entry.Key;
            copy[key] = IsPasswordKey(key) ? "***" : key == SidecarSourceKeyword ? RedactNested(entry.Value) : entry.Value;
        }

        return copy.ConnectionString;
    }

    /// <summary>The connection string with the password removed: what a connection shows once opened (Persist Security Info=False).</summary>
    internal string ToStringWithoutPassword()
    {
        var copy = new DbConnectionStringBuilder();
        foreach (DictionaryEntry entry in (IDictionary)this)
        {
            var key = (string)entry.Key;
            if (!IsPasswordKey(key))
            {
                copy[key] = key == SidecarSourceKeyword ? RedactNested(entry.Value) : entry.Value;
            }
        }

        return copy.ConnectionString;
    }

    private static bool IsPasswordKey(string key) => key.Contains("Password", StringComparison.OrdinalIgnoreCase) || key.Equals("Pwd", StringComparison.OrdinalIgnoreCase);

    private static string Canonical(string keyword)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        if (s_keywords.TryGetValue(keyword.Trim(), out var known))
        {
            return s_canonicalNames[(int)known];
        }

        // Anything else must be a key Microsoft.Data.Sqlite knows; its builder names the key when it does not.
        try
        {
            var probe = new SqliteConnectionStringBuilder();
            _ = probe[keyword];
        }
        catch (ArgumentException)
        {
            throw new ArgumentException(
                $"Connection string keyword '{keyword}' is not supported. Rhei.Data accepts {string.Join(", ", s_canonicalNames.Select(n => $"'{n}'"))} and the keys of Microsoft.Data.Sqlite.",
                nameof(keyword));
        }

        return SqliteCanonical(keyword);
    }

    private static string SqliteCanonical(string keyword)
    {
        // Ask SQLite's builder for its own spelling so that aliases normalize to one key.
        var probe = new SqliteConnectionStringBuilder { [keyword] = DefaultFor(keyword) };
        foreach (string key in probe.Keys)
        {
            if (probe.ShouldSerialize(key))
            {
                return key;
            }
        }

        return keyword.Trim();
    }

    private static object DefaultFor(string keyword) => new SqliteConnectionStringBuilder()[keyword] ?? string.Empty;

    private static void Validate(string canonical, string text)
    {
        switch (canonical)
        {
            case OlapKeyword:
                ParseEnum(canonical, text, RheiOlapEngine.DuckDb);
                break;
            case SyncModeKeyword:
                ParseEnum(canonical, text, RheiSyncMode.Destructive);
                break;
            case FreshnessKeyword:
                ParseEnum(canonical, text, RheiFreshness.Strong);
                break;
            case DefaultRouteKeyword:
                ParseEnum(canonical, text, RheiRoute.Auto);
                break;
            case SyncIntervalKeyword:
            case MaxStalenessKeyword:
            case FullScanThresholdKeyword:
                ParseInt(canonical, text, 0, 0);
                break;
            case SyncBatchSizeKeyword:
                ParseInt(canonical, text, 1, 1);
                break;
            case PruneAfterSyncKeyword:
            case PersistSecurityInfoKeyword:
                ParseBool(canonical, text, true);
                break;
            case SqliteDefaultTimeoutKeyword:
                // Microsoft.Data.Sqlite takes any int; a negative timeout means nothing to either engine.
                ParseInt(canonical, text, 0, 0);
                break;
            case OlapMemoryLimitKeyword:
                ParseMemorySize(canonical, text);
                break;
            case OlapExternalAccessKeyword:
            case LocalOltpKeyword:
                ParseBool(canonical, text, false);
                break;
            case SidecarKeyword:
                ParseEnum(canonical, text, RheiSidecar.None);
                break;
            case SidecarCaptureKeyword:
                ParseEnum(canonical, text, RheiSidecarCapture.Timestamp);
                break;
            case DeleteDetectionKeyword:
                ParseEnum(canonical, text, RheiDeleteDetection.Disabled);
                break;
            case SidecarPollBatchSizeKeyword:
                ParseInt(canonical, text, 1, 1);
                break;
            case SidecarTablesKeyword:
                ValidateList(canonical, text);
                break;
            case SidecarSourceKeyword:
            case UpdatedAtColumnKeyword:
            case CreatedAtColumnKeyword:
            case SoftDeleteColumnKeyword:
                break;
            case SidecarReplicationNameKeyword:
                ValidateReplicationName(text);
                break;
            case ReplicateKeyword:
                ValidateReplicate(text);
                break;
            case DataSourceKeyword:
            case OlapPathKeyword:
            case BridgePathKeyword:
            case SchemaRegistryPathKeyword:
                break;
            default:
                // SQLite keys: let Microsoft.Data.Sqlite's builder check the value (it names the key).
                try
                {
                    _ = new SqliteConnectionStringBuilder { [canonical] = text };
                }
                catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
                {
                    throw new ArgumentException($"Invalid value '{text}' for connection string keyword '{canonical}': {ex.Message}", canonical, ex);
                }

                break;
        }
    }

    // PostgreSQL slot names: lower-case letters, digits and underscores, at most 63 characters.
    private static void ValidateReplicationName(string text)
    {
        if (text.Length is 0 or > 63 || !text.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
        {
            throw new ArgumentException(
                $"Invalid value '{text}' for connection string keyword '{SidecarReplicationNameKeyword}': a PostgreSQL replication slot name is 1 to 63 lower-case letters, digits or underscores.",
                SidecarReplicationNameKeyword);
        }
    }

    private static void ValidateReplicate(string text)
    {
        if (text.Equals("All", StringComparison.OrdinalIgnoreCase) || text.Equals("None", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var names = text.Split(',', StringSplitOptions.TrimEntries);
        if (names.Length == 0 || names.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException(
                $"Invalid value '{text}' for connection string keyword '{ReplicateKeyword}'. Use 'All', 'None' or a comma-separated list of table names.",
                ReplicateKeyword);
        }
    }

    private static void ValidateList(string keyword, string text)
    {
        if (text.Trim().Length > 0 && text.Split(',', StringSplitOptions.TrimEntries).Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException(
                $"Invalid value '{text}' for connection string keyword '{keyword}'. Use a comma-separated list of table names.",
                keyword);
        }
    }

    private string? GetString(string canonical)
        => base.TryGetValue(canonical, out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;

    private static T ParseEnum<T>(string keyword, string? text, T fallback)
        where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        // Enum.TryParse reads "Strong,Eventual" as flags and returns their bitwise OR: a key takes one value here.
        if (text.Contains(',', StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"Invalid value '{text}' for connection string keyword '{keyword}': it takes one value, not a list. Allowed values: {string.Join(", ", Enum.GetNames<T>())}.",
                keyword);
        }

        if (Enum.TryParse<T>(text.Trim(), ignoreCase: true, out var value) && Enum.IsDefined(value) && !char.IsDigit(text.Trim()[0]))
        {
            return value;
        }

        throw new ArgumentException(
            $"Invalid value '{text}' for connection string keyword '{keyword}'. Allowed values: {string.Join(", ", Enum.GetNames<T>())}.",
            keyword);
    }

    private static int ParseInt(string keyword, string? text, int fallback, int minimum)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum)
        {
            return value;
        }

        throw new ArgumentException(
            $"Invalid value '{text}' for connection string keyword '{keyword}'. Expected a whole number of at least {minimum}.",
            keyword);
    }

    private static bool ParseBool(string keyword, string? text, bool fallback)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return text.Trim().ToLowerInvariant() switch
        {
            "true" or "yes" or "1" => true,
            "false" or "no" or "0" => false,
            _ => throw new ArgumentException(
                $"Invalid value '{text}' for connection string keyword '{keyword}'. Allowed values: True, False.",
                keyword),
        };
    }
}
