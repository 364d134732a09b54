using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Rhei.Data.Diagnostics;

/// <summary>
/// The provider's one <see cref="Meter"/> and one <see cref="ActivitySource"/>, both named <c>Rhei.Data</c>, and the
/// names of the tags they carry. Instrument and tag names follow OpenTelemetry's database conventions where one
/// applies (<c>db.*</c>, <c>error.type</c>); Rhei's own carry the <c>rhei.</c> prefix. No OpenTelemetry package is
/// referenced: an application subscribes with <c>AddMeter("Rhei.Data")</c> / <c>AddSource("Rhei.Data")</c>, as with Npgsql.
/// </summary>
internal static class RheiDiagnostics
{
    public const string Name = "Rhei.Data";

    /// <summary>The assembly's informational version, given to the meter and the source so that exporters can tell releases apart.</summary>
    private static readonly string? s_version = typeof(RheiDiagnostics).Assembly.GetName().Version?.ToString();

    public static readonly ActivitySource ActivitySource = new(Name, s_version);

    public static readonly Meter Meter = new(Name, s_version);

    // OpenTelemetry's database attributes.
    public const string SystemName = "db.system.name";
    public const string Namespace = "db.namespace";
    public const string OperationName = "db.operation.name";
    public const string QueryText = "db.query.text";
    public const string CollectionName = "db.collection.name";
    public const string BatchSize = "db.operation.batch.size";
    public const string ErrorType = "error.type";

    // Rhei's own.
    public const string RouteRule = "rhei.route.rule";
    public const string RouteFallback = "rhei.route.fallback";
    public const string CommandMethod = "rhei.command.method";
    public const string SyncTrigger = "rhei.sync.trigger";
    public const string SyncOperation = "rhei.sync.operation";
    public const string Freshness = "rhei.freshness";

    public const string Sqlite = "sqlite";
    public const string DuckDb = "duckdb";

    /// <summary>The <c>db.system.name</c> of the engine behind a route.</summary>
    public static string SystemOf(RheiRoute route) => route == RheiRoute.Olap ? DuckDb : Sqlite;

    /// <summary>
    /// The <c>error.type</c> of a failure: the exception's full type name, as OpenTelemetry asks. Rhei's own failures
    /// are always <see cref="RheiException"/>, so dashboards group by the public type, never an internal one.
    /// </summary>
    public static string ErrorTypeOf(Exception error) => error.GetType().FullName ?? error.GetType().Name;

    /// <summary>Marks an activity failed the way OpenTelemetry's exporters read it: status, <c>error.type</c> and an exception event.</summary>
    public static void RecordError(Activity activity, Exception error)
    {
        activity.SetStatus(ActivityStatusCode.Error, error.Message);
        activity.SetTag(ErrorType, ErrorTypeOf(error));
        activity.AddException(error);
    }
}
