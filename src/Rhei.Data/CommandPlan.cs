using Rhei.Data.Sql;

namespace Rhei.Data;

/// <summary>How one command text runs: the engine, why, and what each engine is given.</summary>
internal sealed record CommandPlan(RheiRoute Target, string Reason, RouteRule Rule)
{
    /// <summary>The DuckDB statements, translated, when the target is DuckDB.</summary>
    public IReadOnlyList<OlapStatement>? OlapStatements { get; init; }

    /// <summary>Whether an Auto-routed read may fall back to SQLite if DuckDB rejects it.</summary>
    public bool FallbackToOltp { get; init; }

    /// <summary>Whether the text holds DDL that replication must follow.</summary>
    public bool IsSchemaChange { get; init; }

    /// <summary>The table the DDL touches, when a single one is known.</summary>
    public string? SchemaChangeTable { get; init; }

    /// <summary>The text SQLite runs when it differs from the command text (bare <c>?</c> numbered).</summary>
    public string? OltpText { get; init; }

    /// <summary>A <c>PRAGMA rhei_*</c> control command, answered by the provider itself.</summary>
    public RheiControlCommand? Control { get; init; }

    /// <summary>The route weighed table sizes (SQLite's plan against Full Scan Threshold): it may change as tables grow.</summary>
    public bool SizeDependent { get; init; }

    public string? OlapSql => OlapStatements is null ? null : string.Join(";\n", OlapStatements.Select(s => s.Sql));
}

/// <summary>One statement as DuckDB runs it, with its parameters in DuckDB's positional order.</summary>
internal sealed record OlapStatement(string Sql, IReadOnlyList<OlapParameterRef> Parameters);

/// <summary>
/// Which command parameter fills a DuckDB position: by name as written in the SQL (<c>@p</c>, <c>:p</c>,
/// <c>$p</c>), or by zero-based index for <c>?</c> and <c>?NNN</c>.
/// </summary>
internal readonly record struct OlapParameterRef(string? Name, int Index);

/// <summary>A <c>PRAGMA rhei_*</c> statement.</summary>
internal sealed record RheiControlCommand(string Name, string? Argument);
