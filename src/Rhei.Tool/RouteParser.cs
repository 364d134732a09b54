using Rhei.Data;

namespace Rhei.Tool;

/// <summary>Reads <c>auto</c>, <c>oltp</c> or <c>olap</c> (also <c>sqlite</c>/<c>duckdb</c>) as a <see cref="RheiRoute"/>.</summary>
internal static class RouteParser
{
    public const string Accepted = "auto, oltp (sqlite) or olap (duckdb)";

    public static bool TryParse(string? text, out RheiRoute route)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "auto":
                route = RheiRoute.Auto;
                return true;
            case "oltp" or "sqlite":
                route = RheiRoute.Oltp;
                return true;
            case "olap" or "duckdb":
                route = RheiRoute.Olap;
                return true;
            default:
                route = RheiRoute.Auto;
                return false;
        }
    }

    public static RheiRoute Parse(string? text)
        => TryParse(text, out var route) ? route : throw new ToolFailure($"unknown route '{text}': use {Accepted}", ToolExitCodes.Usage);
}
