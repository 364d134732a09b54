using System.Buffers.Binary;
using System.Text;
using Rhei.Data.ChangeFeed;

namespace Rhei.Data.Bridge;

/// <summary>
/// The bridge log's record format: key = 'e' + the sequence number big-endian (RocksDB orders keys bytewise, so the
/// log iterates in sequence order); value = commit time, table, operation, key values and the image with its column
/// names. Values keep SQLite's storage classes: NULL, INTEGER, REAL, TEXT, BLOB.
/// </summary>
internal static class BridgeEventCodec
{
    public const byte EventPrefix = (byte)'e';

    private const byte NullTag = 0, IntegerTag = 1, RealTag = 2, TextTag = 3, BlobTag = 4;

    public static byte[] Key(long sequence)
    {
        var key = new byte[9];
        key[0] = EventPrefix;
        BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(1), sequence);
        return key;
    }

    public static long Sequence(ReadOnlySpan<byte> key) => BinaryPrimitives.ReadInt64BigEndian(key[1..]);

    public static byte[] Encode(CapturedEvent e, MemoryStream buffer)
    {
        buffer.SetLength(0);
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(e.CommitTimeMs);
            writer.Write(e.Table);
            writer.Write((byte)e.Operation);
            writer.Write((byte)e.Key.Length);
            foreach (var value in e.Key)
            {
                WriteValue(writer, value);
            }

            if (e.Values is null || e.Columns is null)
            {
                writer.Write(-1);
            }
            else
            {
                writer.Write(e.Values.Length);
                for (var i = 0; i < e.Values.Length; i++)
                {
                    writer.Write(e.Columns[i]);
                    WriteValue(writer, e.Values[i]);
                }
            }
        }

        return buffer.ToArray();
    }

    public static CapturedEvent Decode(long sequence, byte[] value)
    {
        using var reader = new BinaryReader(new MemoryStream(value, writable: false), Encoding.UTF8);
        var time = reader.ReadInt64();
        var table = reader.ReadString();
        var op = (char)reader.ReadByte();
        var key = new object?[reader.ReadByte()];
        for (var k = 0; k < key.Length; k++)
        {
            key[k] = ReadValue(reader);
        }

        var count = reader.ReadInt32();
        if (count < 0)
        {
            return new CapturedEvent(sequence, time, table, op, key, null, null);
        }

        var columns = new string[count];
        var values = new object?[count];
        for (var i = 0; i < count; i++)
        {
            columns[i] = reader.ReadString();
            values[i] = ReadValue(reader);
        }

        return new CapturedEvent(sequence, time, table, op, key, columns, values);
    }

    private static void WriteValue(BinaryWriter writer, object? value)
    {
        switch (value)
        {
            case null or DBNull:
                writer.Write(NullTag);
                break;
            case long l:
                writer.Write(IntegerTag);
                writer.Write(l);
                break;
            case double d:
                writer.Write(RealTag);
                writer.Write(d);
                break;
            case string s:
                writer.Write(TextTag);
                writer.Write(s);
                break;
            case byte[] b:
                writer.Write(BlobTag);
                writer.Write(b.Length);
                writer.Write(b);
                break;
            default:
                throw new InvalidOperationException($"A change event value of type {value.GetType().Name} is not one of SQLite's storage classes.");
        }
    }

    private static object? ReadValue(BinaryReader reader) => reader.ReadByte() switch
    {
        NullTag => null,
        IntegerTag => reader.ReadInt64(),
        RealTag => reader.ReadDouble(),
        TextTag => reader.ReadString(),
        BlobTag => reader.ReadBytes(reader.ReadInt32()),
        var tag => throw new InvalidDataException($"The bridge log holds a value with unknown tag {tag}."),
    };
}
