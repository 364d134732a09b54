using System.Buffers.Binary;
using System.Globalization;
using RocksDbSharp;
using Rhei.Data.ChangeFeed;

namespace Rhei.Data.Bridge;

/// <summary>
/// The durable change log in <c>Bridge Path</c>: a RocksDB database holding bridged events by sequence number and three
/// meta values — the bridge watermark (the highest SQLite sequence moved here), how far the log was pruned, and the
/// SQLite database it was bridged from. Events and the watermark always change in one write batch written with sync,
/// so after a crash either both are there or neither is. Sequences are those of the trigger log and contiguous, so the
/// log holds exactly <see cref="Watermark"/> − <see cref="PrunedThrough"/> events.
/// RocksDbSharp's <see cref="RocksDb"/>, <see cref="WriteBatch"/> and <see cref="Iterator"/> each own their native handle
/// and free it in Dispose; this type disposes every one it makes, and a reader/writer gate keeps readers (the change
/// feed, on other threads) from using the database while it closes.
/// </summary>
internal sealed class BridgeLog : IDisposable
{
    private static readonly byte[] s_watermarkKey = "m.watermark"u8.ToArray();
    private static readonly byte[] s_prunedKey = "m.pruned"u8.ToArray();
    private static readonly byte[] s_sourceKey = "m.source"u8.ToArray();

    // A scan reads the log front to back: read ahead of it in large requests rather than block by block.
    private const ulong ScanReadahead = 2 << 20;

    private readonly RocksDb _db;
    private readonly WriteOptions _durable = new WriteOptions().SetSync(true);
    private readonly ReaderWriterLockSlim _gate = new(LockRecursionPolicy.SupportsRecursion);
    private long _watermark;
    private long _pruned;
    private bool _disposed;

    private BridgeLog(string path, RocksDb db)
    {
        Path = path;
        _db = db;
        _watermark = ReadLong(s_watermarkKey) ?? 0;
        _pruned = ReadLong(s_prunedKey) ?? 0;
        SourceId = ReadLong(s_sourceKey);
    }

    /// <summary>The directory, as the connection string named it.</summary>
    public string Path { get; }

    /// <summary>The highest SQLite sequence number that is durably here.</summary>
    public long Watermark => Interlocked.Read(ref _watermark);

    /// <summary>Events up to this sequence were pruned from the bridge log (or never reached it).</summary>
    public long PrunedThrough => Interlocked.Read(ref _pruned);

    /// <summary>The SQLite database the events came from; null for a new bridge.</summary>
    public long? SourceId { get; private set; }

    /// <summary>How many events the log holds.</summary>
    public long Count => Watermark - PrunedThrough;

    /// <summary>Opens (or creates) the log in an existing directory; any failure is a <see cref="RheiException"/> naming it.</summary>
    public static BridgeLog Open(string path)
    {
        if (!Directory.Exists(path))
        {
            throw RheiException.Provider($"Bridge Path '{path}' does not exist. Create the directory (Rhei.Data keeps its durable change log inside it), or remove the key.");
        }

        try
        {
            var options = new DbOptions().SetCreateIfMissing(true).SetParanoidChecks(true);
            return new BridgeLog(path, RocksDb.Open(options, path));
        }
        catch (RocksDbException ex)
        {
            throw Failure(path, "open", ex);
        }
    }

    /// <summary>Appends events and moves the watermark in one durable write batch.</summary>
    public void Append(IReadOnlyList<CapturedEvent> events, long watermark, long sourceId)
    {
        Write(batch =>
        {
            var buffer = new BridgeRecordBuffer();
            Span<byte> key = stackalloc byte[BridgeEventCodec.KeyLength];
            foreach (var e in events)
            {
                BridgeEventCodec.WriteKey(key, e.Sequence);
                batch.Put(key, BridgeEventCodec.Encode(e, buffer));
            }

            batch.Put(s_watermarkKey, Long(watermark));
            batch.Put(s_sourceKey, Long(sourceId));
        });
        Interlocked.Exchange(ref _watermark, watermark);
        SourceId = sourceId;
    }

    /// <summary>
    /// Writes a chunk's records (put into <paramref name="records"/> by <see cref="BridgeChunkWriter"/>) and moves the
    /// watermark, in that one batch, synced once: after a crash either the whole chunk and its watermark are here or neither is.
    /// </summary>
    public void Append(WriteBatch records, long watermark, long sourceId)
    {
        Read(() =>
        {
            records.Put(s_watermarkKey, Long(watermark));
            records.Put(s_sourceKey, Long(sourceId));
            _db.Write(records, _durable);
        });
        Interlocked.Exchange(ref _watermark, watermark);
        SourceId = sourceId;
    }

    /// <summary>Empties the log and starts it over at <paramref name="startAt"/> for <paramref name="sourceId"/> (a new or replaced database).</summary>
    public void Reset(long startAt, long sourceId)
    {
        Write(batch =>
        {
            batch.DeleteRange([BridgeEventCodec.EventPrefix], 1, [BridgeEventCodec.EventPrefix + 1], 1);
            batch.Put(s_watermarkKey, Long(startAt));
            batch.Put(s_prunedKey, Long(startAt));
            batch.Put(s_sourceKey, Long(sourceId));
        });
        Interlocked.Exchange(ref _watermark, startAt);
        Interlocked.Exchange(ref _pruned, startAt);
        SourceId = sourceId;
    }

    /// <summary>Removes events through <paramref name="through"/>; returns how many.</summary>
    public long Prune(long through)
    {
        var from = PrunedThrough;
        through = Math.Min(through, Watermark);
        if (through <= from)
        {
            return 0;
        }

        Write(batch =>
        {
            var start = BridgeEventCodec.Key(0);
            var end = BridgeEventCodec.Key(through + 1);
            batch.DeleteRange(start, (ulong)start.Length, end, (ulong)end.Length);
            batch.Put(s_prunedKey, Long(through));
        });
        Interlocked.Exchange(ref _pruned, through);
        return through - from;
    }

    /// <summary>Events after <paramref name="position"/> through <paramref name="upTo"/>, at most <paramref name="limit"/>, in order.</summary>
    public List<CapturedEvent> ReadAfter(long position, long upTo, int limit)
    {
        var events = new List<CapturedEvent>();
        Read(() =>
        {
            var end = BridgeEventCodec.Key(upTo == long.MaxValue ? upTo : upTo + 1);
            // ReadOptions is not IDisposable in RocksDbSharp: its native handle is freed by its finalizer. A scan reads each
            // record once, so it does not push the blocks it reads into the block cache, and reads ahead.
            var options = new ReadOptions().SetIterateUpperBound(end).SetFillCache(false).SetReadaheadSize(ScanReadahead);
            using var iterator = _db.NewIterator(readOptions: options);
            var names = new BridgeNameCache();
            for (iterator.Seek(BridgeEventCodec.Key(position + 1)); iterator.Valid() && events.Count < limit; iterator.Next())
            {
                events.Add(BridgeEventCodec.Decode(BridgeEventCodec.Sequence(iterator.GetKeySpan()), iterator.GetValueSpan(), names));
            }
        });
        return events;
    }

    /// <summary>Bytes the log takes on disk and in memory tables (RocksDB's own estimate).</summary>
    public long ApproximateBytes()
    {
        long bytes = 0;
        Read(() =>
        {
            foreach (var property in new[] { "rocksdb.total-sst-files-size", "rocksdb.cur-size-all-mem-tables" })
            {
                if (long.TryParse(_db.GetProperty(property), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
                {
                    bytes += value;
                }
            }
        });
        return bytes;
    }

    public void Dispose()
    {
        _gate.EnterWriteLock();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _db.Dispose();
        }
        finally
        {
            _gate.ExitWriteLock();
        }
    }

    private void Write(Action<WriteBatch> fill)
    {
        Read(() =>
        {
            using var batch = new WriteBatch();
            fill(batch);
            _db.Write(batch, _durable);
        });
    }

    private void Read(Action action)
    {
        _gate.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            action();
        }
        catch (RocksDbException ex)
        {
            throw Failure(Path, "use", ex);
        }
        catch (InvalidDataException ex)
        {
            throw RheiException.Provider($"The durable change log (RocksDB) in Bridge Path '{Path}' holds a record Rhei.Data cannot read (damaged, or written by another program): {ex.Message} Move the directory aside to start a new bridge.", ex);
        }
        finally
        {
            _gate.ExitReadLock();
        }
    }

    private long? ReadLong(byte[] key)
    {
        try
        {
            return _db.Get(key) is { Length: 8 } value ? BinaryPrimitives.ReadInt64BigEndian(value) : null;
        }
        catch (RocksDbException ex)
        {
            throw Failure(Path, "read", ex);
        }
    }

    private static byte[] Long(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    private static RheiException Failure(string path, string what, RocksDbException ex)
    {
        var message = ex.Message;
        var hint = message.Contains("lock", StringComparison.OrdinalIgnoreCase)
            ? " Another process (or another data source in this one) holds this bridge: a bridge directory belongs to one engine at a time."
            : message.Contains("Corruption", StringComparison.OrdinalIgnoreCase)
                ? " The directory does not hold an intact RocksDB log; move it aside to start a new bridge (the SQLite change log was not pruned past what the bridge holds)."
                : message.Contains("Permission", StringComparison.OrdinalIgnoreCase) || message.Contains("Read-only", StringComparison.OrdinalIgnoreCase)
                    ? " The directory must be writable by this process."
                    : string.Empty;
        return RheiException.Provider($"Could not {what} the durable change log (RocksDB) in Bridge Path '{path}': {message}.{hint}", ex);
    }
}
