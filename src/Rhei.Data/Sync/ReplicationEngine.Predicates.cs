namespace Rhei.Data.Sync;

// The router asks these for every command: hand it delegates made once, not one per call.
internal sealed partial class ReplicationEngine
{
    private Func<string, bool>? _isReplicated;
    private Func<string, bool>? _isQuarantined;
    private Func<string, bool>? _isTemporal;

    public Func<string, bool> IsReplicatedPredicate => _isReplicated ??= IsReplicated;

    public Func<string, bool> IsQuarantinedPredicate => _isQuarantined ??= IsQuarantined;

    public Func<string, bool> IsTemporalPredicate => _isTemporal ??= IsTemporal;
}
