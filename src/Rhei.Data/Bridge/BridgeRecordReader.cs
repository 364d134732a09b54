using System.Buffers.Binary;

namespace Rhei.Data.Bridge;

/// <summary>Reads a bridge record from a span in the layout <see cref="BridgeRecordBuffer"/> writes; a short record is corrupt data.</summary>
internal ref struct BridgeRecordReader(ReadOnlySpan<byte> record)
{
    private readonly ReadOnlySpan<byte> _record = record;
    private int _at;

    public byte ReadByte() => Take(1)[0];

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public ReadOnlySpan<byte> ReadBytes(int count) => count >= 0 ? Take(count) : throw Corrupt();

    /// <summary>A string's UTF-8 bytes after its 7-bit-encoded byte count.</summary>
    public ReadOnlySpan<byte> ReadUtf8()
    {
        var count = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (shift > 28)
            {
                throw Corrupt();
            }

            var part = ReadByte();
            count |= (part & 0x7F) << shift;
            if (part < 0x80)
            {
                break;
            }
        }

        return ReadBytes(count);
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _record.Length - _at)
        {
            throw Corrupt();
        }

        var span = _record.Slice(_at, count);
        _at += count;
        return span;
    }

    private static InvalidDataException Corrupt() => new("A bridge log record ends before its last field.");
}
