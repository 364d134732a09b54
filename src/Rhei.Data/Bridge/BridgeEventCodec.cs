using System.Buffers.Binary;
using System.Text;
using Rhei.Data.ChangeFeed;

namespace Rhei.Data.Bridge;

/// <summary>
/// The bridge log's record format: key = 'e' + the sequence number big-endian (RocksDB orders keys bytewise, so the
/// log iterates in sequence order); value = commit time, table, operation, key values and the image with its column
/// names. Values keep SQLite's storage classes: NULL, INTEGER, REAL, TEXT, BLOB. Numbers are little-endian and strings
/// carry a 7-bit-encoded UTF-8 byte count — the layout of <see cref="BinaryWriter"/>, which the first bridge build wrote
/// with — but records are written into one reused buffer and read from a span, because the bridge and the change feed
/// handle hundreds of thousands per second and a stream and writer per record cost more than the encoding itself.
/// </summary>
internal static class BridgeEventCodec
{
    public const byte EventPrefix = (byte)'e';

    public const int KeyLength = 9;

    internal const byte NullTag = 0, IntegerTag = 1, RealTag = 2, TextTag = 3, BlobTag = 4;

    public static byte[] Key(long sequence)
    {
        var key = new byte[KeyLength];
        WriteKey(key, sequence);
        return key;
    }

    public static void WriteKey(Span<byte> key, long sequence)
    {
        key[0] = EventPrefix;
        BinaryPrimitives.WriteInt64BigEndian(key[1..], sequence);
    }

    public static long Sequence(ReadOnlySpan<byte> key) => BinaryPrimitives.ReadInt64BigEndian(key[1..]);

    /// <summary>Encodes <paramref name="e"/> into <paramref name="buffer"/> (cleared first); the record is its written span.</summary>
    public static ReadOnlySpan<byte> Encode(CapturedEvent e, BridgeRecordBuffer buffer)
    {
        buffer.Clear();
        buffer.WriteInt64(e.CommitTimeMs);
        buffer.WriteString(e.Table);
        buffer.WriteByte((byte)e.Operation);
        buffer.WriteByte((byte)e.Key.Length);
        foreach (var value in e.Key)
        {
            WriteValue(buffer, value);
        }

        if (e.Values is null || e.Columns is null)
        {
            buffer.WriteInt32(-1);
        }
        else
        {
            buffer.WriteInt32(e.Values.Length);
            for (var i = 0; i < e.Values.Length; i++)
            {
                buffer.WriteString(e.Columns[i]);
                WriteValue(buffer, e.Values[i]);
            }
        }

        return buffer.Written;
    }

    /// <summary>
    /// Decodes one record. <paramref name="names"/> lets consecutive events of a table share one table name and one column
    /// array instead of each allocating its own (the change feed then shares one name index per array too).
    /// </summary>
    public static CapturedEvent Decode(long sequence, ReadOnlySpan<byte> value, BridgeNameCache names)
    {
        var reader = new BridgeRecordReader(value);
        var time = reader.ReadInt64();
        var table = names.Table(reader.ReadUtf8());
        var op = (char)reader.ReadByte();
        var key = new object?[reader.ReadByte()];
        for (var k = 0; k < key.Length; k++)
        {
            key[k] = ReadValue(ref reader);
        }

        var count = reader.ReadInt32();
        if (count < 0)
        {
            return new CapturedEvent(sequence, time, table, op, key, null, null);
        }

        var columns = names.StartColumns(table, count);
        var values = new object?[count];
        for (var i = 0; i < count; i++)
        {
            columns.Name(i, reader.ReadUtf8());
            values[i] = ReadValue(ref reader);
        }

        return new CapturedEvent(sequence, time, table, op, key, columns.Finish(), values);
    }

    internal static void WriteValue(BridgeRecordBuffer buffer, object? value)
    {
        switch (value)
        {
            case null or DBNull:
                buffer.WriteByte(NullTag);
                break;
            case long l:
                buffer.WriteByte(IntegerTag);
                buffer.WriteInt64(l);
                break;
            case double d:
                buffer.WriteByte(RealTag);
                buffer.WriteInt64(BitConverter.DoubleToInt64Bits(d));
                break;
            case string s:
                buffer.WriteByte(TextTag);
                buffer.WriteString(s);
                break;
            case byte[] b:
                buffer.WriteByte(BlobTag);
                buffer.WriteInt32(b.Length);
                buffer.WriteBytes(b);
                break;
            default:
                throw new InvalidOperationException($"A change event value of type {value.GetType().Name} is not one of SQLite's storage classes.");
        }
    }

    private static object? ReadValue(ref BridgeRecordReader reader) => reader.ReadByte() switch
    {
        NullTag => null,
        IntegerTag => reader.ReadInt64(),
        RealTag => BitConverter.Int64BitsToDouble(reader.ReadInt64()),
        TextTag => Encoding.UTF8.GetString(reader.ReadUtf8()),
        BlobTag => reader.ReadBytes(reader.ReadInt32()).ToArray(),
        var tag => throw new InvalidDataException($"The bridge log holds a value with unknown tag {tag}."),
    };
}
