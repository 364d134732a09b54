namespace Rhei.Data.ChangeFeed;

/// <summary>
/// Wakes waiting subscriptions when a commit is made through a Rhei connection of the engine (the engine's commit signal,
/// <see cref="Sync.CommitSignal"/>, reaches <see cref="Notify"/>). A subscription with nothing to read arms the signal
/// before it reads and waits on it after, so a commit between the two is never missed; when nobody waits, a commit costs
/// one volatile read. Writers Rhei cannot see (another process, a tool) are still found by the subscription's poll.
/// </summary>
internal sealed class ChangeFeedSignal
{
    private TaskCompletionSource? _armed;

    /// <summary>A task that completes at the next <see cref="Notify"/>; take it before looking for changes.</summary>
    public Task Arm()
    {
        while (true)
        {
            if (Volatile.Read(ref _armed) is { } armed)
            {
                return armed.Task;
            }

            var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (Interlocked.CompareExchange(ref _armed, next, null) is null)
            {
                return next.Task;
            }
        }
    }

    /// <summary>Called on the committing thread, inside SQLite's commit hook: completes the armed task (its waiters run on the thread pool).</summary>
    public void Notify()
    {
        if (Volatile.Read(ref _armed) is not null)
        {
            Interlocked.Exchange(ref _armed, null)?.TrySetResult();
        }
    }
}
