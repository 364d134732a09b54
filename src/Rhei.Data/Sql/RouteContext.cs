namespace Rhei.Data.Sql;

/// <summary>What the router needs besides the statement itself: the request, the transaction state and the mirror's catalog.</summary>
internal readonly struct RouteContext
{
    /// <summary>An explicit transaction is open: every statement must see its own writes, so SQLite answers.</summary>
    public bool InTransaction { get; init; }

    /// <summary>The route requested on the command (<c>RheiCommand.Route</c>); <see cref="RheiRoute.Auto"/> if none.</summary>
    public RheiRoute Requested { get; init; }

    /// <summary>The data source's default for reads the rules leave open; <see cref="RheiRoute.Auto"/> means decide by shape.</summary>
    public RheiRoute DefaultRoute { get; init; }

    public bool OlapAvailable { get; init; }

    /// <summary>Which tables the mirror holds and which it quarantined; null when there is no mirror (nothing is replicated).</summary>
    public IMirrorCatalog? Catalog { get; init; }

    /// <summary>The mirror keeps history (period columns), so temporal queries can be answered.</summary>
    public bool TemporalMode { get; init; }

    /// <summary>Rows from which SQLite's plan decides a read (see <see cref="PlanRequest.FullScanThreshold"/>); 0 = shape only.</summary>
    public long FullScanThreshold { get; init; }
}
