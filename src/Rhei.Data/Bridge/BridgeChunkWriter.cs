using System.Text;
using Microsoft.Data.Sqlite;
using Rhei.Data.ChangeFeed;
using Rhei.Data.Oltp;
using Rhei.Data.Schema;
using RocksDbSharp;
using SQLitePCL;

namespace Rhei.Data.Bridge;

/// <summary>
/// Reads a chunk of <c>_rhei_cdc_log</c> and encodes each event straight from the SQLite statement's cells into its bridge
/// record (<see cref="BridgeEventCodec"/>'s layout), put into the caller's write batch: no value is boxed and no string
/// built per event. The read is <see cref="CapturedLogQuery"/>'s, in one read transaction: the events with the chunk's
/// first table's rows joined beside them (destructive capture logs keys only, so the image is the row as of this read),
/// one more joined pass per other table, and in temporal mode the image the trigger logged, converted from its JSON
/// by <see cref="BridgeImageEncoder"/>.
/// </summary>
internal sealed class BridgeChunkWriter
{
    private readonly SqliteConnection _connection;
    private readonly Func<string, TableSchema?> _schemaOf;
    private readonly RheiSyncMode _mode;
    private readonly BridgeRecordBuffer _buffer = new();
    private readonly Dictionary<TableSchema, byte[][]> _names = new(ReferenceEqualityComparer.Instance);
    private readonly byte[] _key = new byte[BridgeEventCodec.KeyLength];

    public BridgeChunkWriter(SqliteConnection connection, Func<string, TableSchema?> schemaOf, RheiSyncMode mode)
    {
        _connection = connection;
        _schemaOf = schemaOf;
        _mode = mode;
    }

    /// <summary>Puts the records of at most <paramref name="limit"/> events after <paramref name="after"/> into <paramref name="batch"/>.</summary>
    public BridgeChunk Write(long after, int limit, WriteBatch batch)
    {
        using var transaction = _connection.BeginTransaction(deferred: true);
        var highWater = ReplicationTables.MaxSequence(_connection, transaction);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var first = _mode == RheiSyncMode.Destructive ? CapturedLogQuery.FirstTable(_connection, after) : null;
        var joined = first is null ? null : _schemaOf(first);

        long count = 0, firstSequence = 0, lastSequence = after;
        // Destructive: the spellings of other tables whose records a joined pass of their own writes.
        var deferred = new Dictionary<string, TableSchema>(StringComparer.Ordinal);
        using (var reader = new SqliteRowReader(_connection, CapturedLogQuery.Chunk(joined)))
        {
            reader.Bind(1, after);
            reader.Bind(2, limit);
            if (joined is not null)
            {
                reader.Bind(3, first!);
            }

            // Chunks are mostly runs of one table: what the record needs of it is looked up when the name changes.
            var table = new LoggedTable();
            while (reader.Read())
            {
                var seq = reader.GetInt64(CapturedLogQuery.Sequence);
                firstSequence = count++ == 0 ? seq : firstSequence;
                lastSequence = seq;
                var name = reader.GetUtf8(CapturedLogQuery.Table);
                if (!name.SequenceEqual(table.Utf8))
                {
                    table = Look(reader, name, first, joined);
                }

                if (table.Schema is not null && _mode == RheiSyncMode.Destructive && !table.Joined)
                {
                    deferred.TryAdd(table.Spelling, table.Schema);
                    continue;
                }

                WriteRecord(reader, seq, table, now, batch);
            }
        }

        foreach (var (spelling, schema) in deferred)
        {
            using var reader = new SqliteRowReader(_connection, CapturedLogQuery.OneTable(schema));
            reader.Bind(1, after);
            reader.Bind(2, lastSequence);
            reader.Bind(3, spelling);
            var table = new LoggedTable(Encoding.UTF8.GetBytes(spelling), spelling, schema, Joined: true);
            while (reader.Read())
            {
                WriteRecord(reader, reader.GetInt64(CapturedLogQuery.Sequence), table, now, batch);
            }
        }

        transaction.Commit();
        return new BridgeChunk(count, firstSequence, lastSequence, highWater);
    }

    private LoggedTable Look(SqliteRowReader reader, ReadOnlySpan<byte> name, string? first, TableSchema? joined)
    {
        var spelling = reader.GetString(CapturedLogQuery.Table);
        var schema = _schemaOf(spelling);
        return new LoggedTable(name.ToArray(), spelling, schema, joined is not null && ReferenceEquals(schema, joined) && string.Equals(spelling, first, StringComparison.Ordinal));
    }

    private void WriteRecord(SqliteRowReader reader, long seq, LoggedTable table, long now, WriteBatch batch)
    {
        var buffer = _buffer;
        buffer.Clear();
        var op = reader.GetUtf8(CapturedLogQuery.Operation)[0];
        buffer.WriteInt64(reader.IsNull(CapturedLogQuery.Time) ? now : reader.GetInt64(CapturedLogQuery.Time));
        buffer.WriteUtf8(table.Utf8);
        buffer.WriteByte(op);
        var schema = table.Schema;
        var keyCount = schema?.KeyOrdinals.Count ?? CapturedLogQuery.CountKeys(reader);
        buffer.WriteByte((byte)keyCount);
        for (var k = 0; k < keyCount; k++)
        {
            WriteCell(buffer, reader, CapturedLogQuery.FirstKey + k);
        }

        if (schema is null)
        {
            buffer.WriteInt32(-1);
        }
        else if (_mode == RheiSyncMode.Destructive)
        {
            WriteJoinedImage(reader, schema, buffer);
        }
        else if (op == (byte)'D')
        {
            buffer.WriteInt32(-1);
        }
        else
        {
            WriteLoggedImage(reader, schema, buffer);
        }

        BridgeEventCodec.WriteKey(_key, seq);
        batch.Put(_key, buffer.Written);
    }

    /// <summary>The row joined beside the event; none when it is gone (or the key is NULL, which matches no row).</summary>
    private void WriteJoinedImage(SqliteRowReader reader, TableSchema schema, BridgeRecordBuffer buffer)
    {
        if (!CapturedLogQuery.HasJoinedRow(reader, schema))
        {
            buffer.WriteInt32(-1);
            return;
        }

        var names = Names(schema);
        buffer.WriteInt32(names.Length);
        for (var i = 0; i < names.Length; i++)
        {
            buffer.WriteBytes(names[i]);
            WriteCell(buffer, reader, CapturedLogQuery.FirstJoined + i);
        }
    }

    /// <summary>The image the temporal trigger logged (all NULL when it logged none, as the trigger log reader reads it).</summary>
    private void WriteLoggedImage(SqliteRowReader reader, TableSchema schema, BridgeRecordBuffer buffer)
    {
        var names = Names(schema);
        if (reader.IsNull(CapturedLogQuery.Image))
        {
            buffer.WriteInt32(names.Length);
            foreach (var name in names)
            {
                buffer.WriteBytes(name);
                buffer.WriteByte(BridgeEventCodec.NullTag);
            }

            return;
        }

        var json = reader.GetUtf8(CapturedLogQuery.Image);
        if (BridgeImageEncoder.TryWrite(json, schema, names, buffer))
        {
            return;
        }

        var values = CdcLogReader.ParseImage(schema, json);
        buffer.WriteInt32(values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            buffer.WriteBytes(names[i]);
            BridgeEventCodec.WriteValue(buffer, values[i]);
        }
    }

    /// <summary>Each column name of <paramref name="schema"/> as the record lays a string out (7-bit byte count, UTF-8).</summary>
    private byte[][] Names(TableSchema schema)
    {
        if (!_names.TryGetValue(schema, out var names))
        {
            var scratch = new BridgeRecordBuffer();
            names = new byte[schema.Columns.Count][];
            for (var i = 0; i < names.Length; i++)
            {
                scratch.Clear();
                scratch.WriteString(schema.Columns[i].Name);
                names[i] = scratch.Written.ToArray();
            }

            _names.Add(schema, names);
        }

        return names;
    }

    /// <summary>One value with its storage-class tag, read from the cell as SQLite holds it.</summary>
    private static void WriteCell(BridgeRecordBuffer buffer, SqliteRowReader reader, int column)
    {
        if (reader.Cell(column) is { } cell)
        {
            switch (cell.StorageClass)
            {
                case raw.SQLITE_INTEGER:
                    buffer.WriteByte(BridgeEventCodec.IntegerTag);
                    buffer.WriteInt64(cell.Int64);
                    break;
                case raw.SQLITE_FLOAT:
                    buffer.WriteByte(BridgeEventCodec.RealTag);
                    buffer.WriteInt64(BitConverter.DoubleToInt64Bits(cell.Double));
                    break;
                case raw.SQLITE_TEXT:
                    buffer.WriteByte(BridgeEventCodec.TextTag);
                    buffer.WriteUtf8(cell.Utf8);
                    break;
                case raw.SQLITE_BLOB:
                    var blob = cell.Blob;
                    buffer.WriteByte(BridgeEventCodec.BlobTag);
                    buffer.WriteInt32(blob.Length);
                    buffer.WriteBytes(blob);
                    break;
                default:
                    buffer.WriteByte(BridgeEventCodec.NullTag);
                    break;
            }

            return;
        }

        switch (reader.StorageClass(column))
        {
            case raw.SQLITE_INTEGER:
                buffer.WriteByte(BridgeEventCodec.IntegerTag);
                buffer.WriteInt64(reader.GetInt64(column));
                break;
            case raw.SQLITE_FLOAT:
                buffer.WriteByte(BridgeEventCodec.RealTag);
                buffer.WriteInt64(BitConverter.DoubleToInt64Bits(reader.GetDouble(column)));
                break;
            case raw.SQLITE_TEXT:
                buffer.WriteByte(BridgeEventCodec.TextTag);
                buffer.WriteUtf8(reader.GetUtf8(column));
                break;
            case raw.SQLITE_BLOB:
                var blob = reader.GetBlob(column);
                buffer.WriteByte(BridgeEventCodec.BlobTag);
                buffer.WriteInt32(blob.Length);
                buffer.WriteBytes(blob);
                break;
            default:
                buffer.WriteByte(BridgeEventCodec.NullTag);
                break;
        }
    }

    /// <summary>One spelling of a logged table: its UTF-8 bytes, its schema (null when unknown), and whether the chunk read joins its rows.</summary>
    private readonly record struct LoggedTable(byte[] Utf8, string Spelling, TableSchema? Schema, bool Joined)
    {
        public LoggedTable()
            : this([], string.Empty, null, false)
        {
        }
    }
}
