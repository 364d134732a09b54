using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Rhei.Data.Bridge;
using Rhei.Data.Oltp;
using Rhei.Data.Schema;

namespace Rhei.Data.ChangeFeed;

/// <summary>
/// Serves change-feed subscriptions of one engine. Each subscription reads on a SQLite connection of its own, never under
/// the sync pipeline's lock, so a slow consumer makes neither writers nor the mirror wait: it only holds the log back
/// (pruning stops at its position while it is within its retention). With a bridge, it reads the bridge log and then the
/// part of SQLite's log not bridged yet; without one, SQLite's log alone.
/// </summary>
internal sealed class ChangeFeedService : IDisposable
{
    private const int ReadBatch = 10_000;
    private static readonly TimeSpan s_shortestPoll = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan s_longestPoll = TimeSpan.FromMilliseconds(10);

    private readonly OltpConnectionFactory _connections;
    private readonly Func<string, TableSchema?> _registered;
    private readonly RheiSyncMode _mode;
    private readonly Func<BridgeLog?> _bridge;
    private readonly ChangeFeedSignal _signal = new();
    private readonly Lock _bookkeepingGate = new();
    private SqliteConnection? _bookkeeping;
    private bool _disposed;

    public ChangeFeedService(OltpConnectionFactory connections, Func<string, TableSchema?> registered, RheiSyncMode mode, Func<BridgeLog?> bridge)
    {
        _connections = connections;
        _registered = registered;
        _mode = mode;
        _bridge = bridge;
    }

    public async IAsyncEnumerable<RheiChange> ReadAsync(string name, RheiSubscriptionOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ValidateName(name);
        var tables = options.Tables is null ? null : new HashSet<string>(options.Tables, StringComparer.OrdinalIgnoreCase);
        var operations = options.Operations is null ? null : new HashSet<RheiChangeOperation>(options.Operations);
        using var connection = _connections.Open();
        using var probe = new DataVersionProbe(connection);
        var cursor = Sqlite(() => SubscriptionStore.Open(connection, name, ReplicationTables.MaxSequence(connection), options.Retention, options.MaxRetainedChanges), name);
        var idle = TimeSpan.FromMilliseconds(1);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Armed and versioned before the read: a commit after this point wakes the wait below or changes the version.
            var committed = _signal.Arm();
            var version = Sqlite(probe.Read, name);
            var (events, schemas) = Sqlite(() => Read(connection, name, cursor), name);
            if (events.Count == 0)
            {
                idle = await WaitForCommitAsync(committed, probe, version, idle, name, cancellationToken).ConfigureAwait(false);
                continue;
            }

            idle = s_shortestPoll;
            var indexes = new ChangeIndexes();
            // The readers share one table string per table and batch: the schema is looked up when it changes, not per change.
            string? lastTable = null;
            TableSchema? schema = null;
            foreach (var e in events)
            {
                cursor = e.Sequence;
                var operation = e.Operation switch { 'I' => RheiChangeOperation.Insert, 'U' => RheiChangeOperation.Update, _ => RheiChangeOperation.Delete };
                if ((tables is null || tables.Contains(e.Table)) && (operations is null || operations.Contains(operation)))
                {
                    if (!ReferenceEquals(e.Table, lastTable))
                    {
                        lastTable = e.Table;
                        schema = schemas.Of(e.Table);
                    }

                    yield return ToChange(e, operation, schema, indexes);
                }
            }

            if (options.AutoAcknowledge)
            {
                // The consumer took the whole batch and asked for more: everything through the cursor was handed over.
                var through = cursor;
                Sqlite(() => SubscriptionStore.Acknowledge(connection, name, through), name);
            }
        }
    }

    /// <summary>A commit was made through a Rhei connection of this engine: waiting subscriptions read now.</summary>
    public void NoteCommit() => _signal.Notify();

    public void Acknowledge(string name, long position)
    {
        ValidateName(name);
        lock (_bookkeepingGate)
        {
            var connection = Bookkeeping();
            var latest = Sqlite(() => ReplicationTables.MaxSequence(connection), name);
            if (position < 0 || position > latest)
            {
                throw RheiException.Provider($"Cannot acknowledge position {position} for subscription '{name}': positions run from 0 to the latest change, {latest}.");
            }

            if (!Sqlite(() => SubscriptionStore.Acknowledge(connection, name, position), name))
            {
                throw RheiException.Provider($"There is no change-feed subscription named '{name}'. SubscribeAsync(\"{name}\") creates it.");
            }
        }
    }

    /// <summary>Every subscription with its lag behind the latest change, for <c>PRAGMA rhei_subscriptions</c>.</summary>
    public List<(string Name, long Position, long Lag, DateTimeOffset AcknowledgedAt)> List()
    {
        lock (_bookkeepingGate)
        {
            var connection = Bookkeeping();
            var latest = ReplicationTables.MaxSequence(connection);
            return SubscriptionStore.List(connection)
                .Select(s => (s.Name, s.Position, Math.Max(0, latest - s.Position), DateTimeOffset.FromUnixTimeMilliseconds(s.AckedAtMs)))
                .ToList();
        }
    }

    public void Dispose()
    {
        lock (_bookkeepingGate)
        {
            _disposed = true;
            _bookkeeping?.Dispose();
            _bookkeeping = null;
        }
    }

    /// <summary>The next events after <paramref name="cursor"/>: from the bridge log while it has them, then from SQLite's.</summary>
    private (List<CapturedEvent> Events, ChangeTableSchemas Schemas) Read(SqliteConnection connection, string name, long cursor)
    {
        var schemas = new ChangeTableSchemas(connection, _registered);
        while (true)
        {
            var bridge = _bridge();
            if (bridge is not null)
            {
                if (bridge.PrunedThrough > cursor)
                {
                    throw Expired(name, cursor, bridge.PrunedThrough, $"the bridge log in '{bridge.Path}'");
                }

                var bridged = bridge.ReadAfter(cursor, bridge.Watermark, ReadBatch);
                if (bridged.Count > 0)
                {
                    return (bridged, schemas);
                }
            }

            var read = CapturedEventReader.Read(connection, cursor, ReadBatch, schemas.Of, _mode);
            var continues = read.Events.Count > 0 ? read.Events[0].Sequence == cursor + 1 : read.HighWater <= cursor || read.PrunedThrough <= cursor;
            if (continues)
            {
                return (read.Events, schemas);
            }

            if (bridge is not null && bridge.Watermark > cursor)
            {
                // Bridged (and pruned from SQLite) between the two reads: read them from the bridge.
                continue;
            }

            throw Expired(name, cursor, Math.Max(read.PrunedThrough, read.Events.Count > 0 ? read.Events[0].Sequence - 1 : read.HighWater), $"SQLite's {ReplicationTables.CdcLog}");
        }
    }

    /// <summary>
    /// Waits for a commit through Rhei (the commit signal) or, polling for writers Rhei cannot see, until SQLite's data
    /// version moves; returns the next poll interval. The commit hook runs just before the commit is visible, so a
    /// signalled read can miss it: the poll after a signal starts at its shortest again and finds the new version.
    /// </summary>
    private static async Task<TimeSpan> WaitForCommitAsync(Task committed, DataVersionProbe probe, long version, TimeSpan idle, string name, CancellationToken cancellationToken)
    {
        while (true)
        {
            using (var pause = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var delay = Task.Delay(idle, pause.Token);
                if (await Task.WhenAny(committed, delay).ConfigureAwait(false) == committed)
                {
                    pause.Cancel();
                    return s_shortestPoll;
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, s_longestPoll.Ticks));
            if (Sqlite(probe.Read, name) != version)
            {
                return s_shortestPoll;
            }
        }
    }

    private static RheiChange ToChange(CapturedEvent e, RheiChangeOperation operation, TableSchema? schema, ChangeIndexes indexes)
    {
        // The event is this reader's own: its key array becomes the change's, NULL as DBNull as the reader gives it.
        var key = e.Key;
        for (var k = 0; k < key.Length; k++)
        {
            key[k] ??= DBNull.Value;
        }

        ChangeRowDictionary? values = null;
        if (operation != RheiChangeOperation.Delete && e.Values is not null && e.Columns is not null)
        {
            // The event is this reader's own: its array becomes the change's, NULL as DBNull as the reader gives it.
            var row = e.Values;
            for (var i = 0; i < row.Length; i++)
            {
                row[i] ??= DBNull.Value;
            }

            values = new ChangeRowDictionary(indexes.Of(e.Columns), row!);
        }

        return new RheiChange(e.Sequence, schema?.Name ?? e.Table, operation, new ChangeRowDictionary(indexes.KeyOf(schema, key.Length), key!), values, DateTimeOffset.FromUnixTimeMilliseconds(e.CommitTimeMs));
    }

    private static RheiException Expired(string name, long cursor, long goneThrough, string log)
        => RheiException.Provider(
            $"Change-feed subscription '{name}' expired: it stands at position {cursor}, but {log} no longer holds the changes from position {cursor + 1} through {goneThrough} (pruned after the subscription passed its retention limit). Those changes are gone; subscribe under a new name to start again from the latest change, or raise RheiSubscriptionOptions.Retention / MaxRetainedChanges.");

    private static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
        {
            throw new ArgumentException("A subscription name is 1 to 200 characters, not blank; it identifies the subscription across restarts.", nameof(name));
        }
    }

    private static T Sqlite<T>(Func<T> action, string name)
    {
        try
        {
            return action();
        }
        catch (SqliteException ex)
        {
            throw RheiException.Provider($"The change feed could not read or record subscription '{name}' in SQLite: {ex.Message}", ex);
        }
    }

    private SqliteConnection Bookkeeping()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _bookkeeping ??= _connections.Open();
    }
}
