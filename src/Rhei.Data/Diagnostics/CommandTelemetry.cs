using System.Diagnostics;
using Rhei.Data.Sql;

namespace Rhei.Data.Diagnostics;

/// <summary>
/// The span and the <c>db.client.operation.duration</c> measurement of one command or batch execution. Made only when
/// someone listens (<see cref="Start"/> returns null otherwise, so an unobserved command pays one check). The command
/// tells it what was planned, whether DuckDB's failure sent the read to SQLite, and which engine's reader came back;
/// <c>db.system.name</c> is the engine that answered, after any fallback. The command text becomes <c>db.query.text</c>
/// only when the data source opted in (<see cref="RheiDataSourceBuilder.EnableQueryTextInTraces"/>): it may name
/// tables and literals an operator should not see in a trace backend by default.
/// </summary>
internal sealed class CommandTelemetry
{
    private readonly Activity? _activity;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly string _operation;
    private readonly string _commandText;
    private readonly CommandTelemetry? _batch;
    private string? _namespace;
    private RheiRoute? _engine;
    private RouteRule? _rule;
    private bool _fellBack;
    private bool _mixedEngines;
    private bool _stopped;

    private CommandTelemetry(Activity? activity, string operation, string commandText, CommandTelemetry? batch)
    {
        _activity = activity;
        _operation = operation;
        _commandText = commandText;
        _batch = batch;
    }

    /// <summary>Whether anything listens to command spans or durations right now.</summary>
    public static bool IsObserved => RheiDiagnostics.ActivitySource.HasListeners() || RheiMetrics.OperationDuration.Enabled;

    /// <summary>Starts tracing one command execution; null when nobody listens.</summary>
    /// <param name="method">The ADO.NET method (<c>ExecuteReader</c>, <c>ExecuteNonQuery</c>, <c>ExecuteScalar</c>).</param>
    /// <param name="commandText">The command's text, for the operation name (and the query text when opted in).</param>
    /// <param name="options">The data source's options when already known (the command has a connection), else null.</param>
    /// <param name="batch">The batch this command runs in, which learns the engine that answered.</param>
    public static CommandTelemetry? Start(string method, string commandText, RheiOptions? options, CommandTelemetry? batch)
    {
        if (!IsObserved)
        {
            return null;
        }

        var operation = SqlOperationName.Of(commandText);
        var activity = RheiDiagnostics.ActivitySource.StartActivity(operation, ActivityKind.Client);
        activity?.SetTag(RheiDiagnostics.OperationName, operation);
        activity?.SetTag(RheiDiagnostics.CommandMethod, method);
        var telemetry = new CommandTelemetry(activity, operation, commandText, batch);
        if (options is not null)
        {
            telemetry.Bind(options);
        }

        return telemetry;
    }

    /// <summary>Starts tracing a batch of <paramref name="size"/> commands; each command gets its own span beneath it.</summary>
    public static CommandTelemetry? StartBatch(int size, RheiOptions? options)
    {
        if (!IsObserved)
        {
            return null;
        }

        const string operation = "BATCH";
        var activity = RheiDiagnostics.ActivitySource.StartActivity(operation, ActivityKind.Client);
        activity?.SetTag(RheiDiagnostics.OperationName, operation);
        activity?.SetTag(RheiDiagnostics.CommandMethod, "ExecuteBatch");
        activity?.SetTag(RheiDiagnostics.BatchSize, size);
        var telemetry = new CommandTelemetry(activity, operation, string.Empty, batch: null);
        if (options is not null)
        {
            telemetry.Bind(options);
        }

        return telemetry;
    }

    /// <summary>The command was planned: the engine chosen (until a reader says otherwise), the rule, the data source.</summary>
    public void Planned(RheiOptions options, CommandPlan plan)
    {
        Bind(options);
        _engine = plan.Target;
        _rule = plan.Rule;
    }

    /// <summary>DuckDB rejected an auto-routed read and SQLite answers it.</summary>
    public void FellBack()
    {
        _fellBack = true;
        _engine = RheiRoute.Oltp;
    }

    /// <summary>The reader that came back reads from this engine.</summary>
    public void Answered(RheiRoute engine) => _engine = engine;

    /// <summary>Ends the span (with the error, if any) and records the duration. Only the first call counts.</summary>
    public void Stop(Exception? error)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        var system = _mixedEngines || _engine is null ? null : RheiDiagnostics.SystemOf(_engine.Value);
        if (_activity is not null)
        {
            if (system is not null)
            {
                _activity.SetTag(RheiDiagnostics.SystemName, system);
            }
            else if (_mixedEngines)
            {
                // A batch of reads may be answered by both engines; its commands' spans say which answered what.
                _activity.SetTag("rhei.engines", RheiDiagnostics.Sqlite + "," + RheiDiagnostics.DuckDb);
            }

            if (_rule is { } rule)
            {
                _activity.SetTag(RheiDiagnostics.RouteRule, rule.ToString());
            }

            if (_fellBack)
            {
                _activity.SetTag(RheiDiagnostics.RouteFallback, true);
            }

            if (error is not null)
            {
                RheiDiagnostics.RecordError(_activity, error);
            }

            _activity.Stop();
        }

        if (RheiMetrics.OperationDuration.Enabled)
        {
            var tags = new TagList { { RheiDiagnostics.OperationName, _operation } };
            if (system is not null)
            {
                tags.Add(RheiDiagnostics.SystemName, system);
            }

            if (_namespace is not null)
            {
                tags.Add(RheiDiagnostics.Namespace, _namespace);
            }

            if (error is not null)
            {
                tags.Add(RheiDiagnostics.ErrorType, RheiDiagnostics.ErrorTypeOf(error));
            }

            RheiMetrics.OperationDuration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, tags);
        }

        if (_batch is not null && _engine is { } answered)
        {
            _batch.ChildAnswered(answered);
        }
    }

    private void ChildAnswered(RheiRoute engine)
    {
        if (_engine is { } seen && seen != engine)
        {
            _mixedEngines = true;
        }

        _engine ??= engine;
    }

    private void Bind(RheiOptions options)
    {
        if (_namespace is not null)
        {
            return;
        }

        _namespace = options.DiagnosticsName;
        if (_activity is not null)
        {
            _activity.SetTag(RheiDiagnostics.Namespace, _namespace);
            if (options.TraceQueryText && _commandText.Length > 0)
            {
                _activity.SetTag(RheiDiagnostics.QueryText, _commandText);
            }
        }
    }
}
