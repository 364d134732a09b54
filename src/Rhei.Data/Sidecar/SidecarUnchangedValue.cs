namespace Rhei.Data.Sidecar;

/// <summary>Marks a column value an update did not send (PostgreSQL's unchanged TOASTed value): keep the mirror's.</summary>
internal sealed class SidecarUnchangedValue
{
    public static SidecarUnchangedValue Instance { get; } = new();

    private SidecarUnchangedValue()
    {
    }

    public override string ToString() => "(unchanged)";
}
