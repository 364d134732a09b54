namespace Rhei.Data.Sql;

/// <summary>Where a statement runs and why; <see cref="Reason"/> is a short phrase for logs, metrics and <c>PRAGMA rhei_route</c>.</summary>
internal readonly record struct RouteDecision(RheiRoute Target, string Reason, RouteRule Rule)
{
    /// <summary>True when the caller must refuse the command: a write was explicitly sent to the read-only mirror.</summary>
    public bool IsRefused => Rule == RouteRule.WriteToOlapRefused;

    /// <summary>The decision weighed table sizes, so it may change as tables grow: a command must not keep it.</summary>
    public bool SizeDependent { get; init; }
}
