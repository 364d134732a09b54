namespace Rhei.Data.Sql;

/// <summary>The connection state the router needs besides the statement itself.</summary>
internal readonly struct RouteContext
{
    /// <summary>An explicit transaction is open: every statement must see its own writes, so SQLite answers.</summary>
    public bool InTransaction { get; init; }

    /// <summary>The route requested on the command (<c>RheiCommand.Route</c>); <see cref="RheiRoute.Auto"/> if none.</summary>
    public RheiRoute Requested { get; init; }

    /// <summary>The data source's default for reads the rules leave open; <see cref="RheiRoute.Auto"/> means decide by shape.</summary>
    public RheiRoute DefaultRoute { get; init; }

    public bool OlapAvailable { get; init; }

    public Func<string, bool>? IsReplicated { get; init; }

    public Func<string, bool>? IsQuarantined { get; init; }

    /// <summary>The mirror keeps history (period columns), so temporal queries can be answered.</summary>
    public bool TemporalMode { get; init; }
}
