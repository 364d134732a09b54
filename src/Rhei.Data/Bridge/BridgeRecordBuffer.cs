using System.Buffers.Binary;
using System.Text;

namespace Rhei.Data.Bridge;

/// <summary>
/// A growable byte buffer one bridge record at a time is encoded into (little-endian numbers, strings as a 7-bit-encoded
/// UTF-8 byte count and the bytes, as <see cref="BinaryWriter"/> lays them out). Reused for every record of a write batch:
/// RocksDB copies the bytes when the record is put.
/// </summary>
internal sealed class BridgeRecordBuffer
{
    private byte[] _bytes = new byte[256];
    private int _length;

    public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, _length);

    public void Clear() => _length = 0;

    public void WriteByte(byte value) => Take(1)[0] = value;

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Take(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Take(8), value);

    public void WriteBytes(ReadOnlySpan<byte> value) => value.CopyTo(Take(value.Length));

    public void WriteString(string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        for (var rest = (uint)count; ; rest >>= 7)
        {
            if (rest < 0x80)
            {
                WriteByte((byte)rest);
                break;
            }

            WriteByte((byte)(rest | 0x80));
        }

        Encoding.UTF8.GetBytes(value, Take(count));
    }

    private Span<byte> Take(int count)
    {
        if (_length + count > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + count));
        }

        var span = _bytes.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
