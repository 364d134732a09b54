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

    /// <summary>How many bytes are written; <see cref="Truncate"/> goes back to such a mark.</summary>
    public int Length => _length;

    public void Clear() => _length = 0;

    /// <summary>Drops what was written after <paramref name="mark"/> (an earlier <see cref="Length"/>).</summary>
    public void Truncate(int mark) => _length = Math.Min(_length, mark);

    public void WriteByte(byte value) => Take(1)[0] = value;

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Take(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Take(8), value);

    public void WriteBytes(ReadOnlySpan<byte> value) => value.CopyTo(Take(value.Length));

    /// <summary>The next <paramref name="count"/> bytes, for the caller to fill.</summary>
    public Span<byte> Reserve(int count) => Take(count);

    public void WriteString(string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        WriteCount(count);
        Encoding.UTF8.GetBytes(value, Take(count));
    }

    /// <summary>Text already in UTF-8 (as SQLite hands it over), laid out as <see cref="WriteString"/> lays out a string.</summary>
    public void WriteUtf8(ReadOnlySpan<byte> utf8)
    {
        WriteCount(utf8.Length);
        utf8.CopyTo(Take(utf8.Length));
    }

    /// <summary>
    /// Room for at most <paramref name="count"/> bytes of text, written by the caller (JSON unescaping, whose result is never
    /// longer than its source), then <see cref="EndUtf8"/> with what it wrote. The 7-bit byte count ahead of the text takes
    /// the width <paramref name="count"/> needs, padded (0x80 continuation bytes decode as zero), so no text moves.
    /// </summary>
    public Span<byte> StartUtf8(int count, out int mark)
    {
        mark = _length;
        var width = CountWidth(count);
        Take(width);
        return Take(count);
    }

    /// <summary>Finishes <see cref="StartUtf8"/>: writes the byte count <paramref name="written"/> and drops the unused room.</summary>
    public void EndUtf8(int mark, int room, int written)
    {
        var width = CountWidth(room);
        var rest = (uint)written;
        for (var i = 0; i < width; i++, rest >>= 7)
        {
            _bytes[mark + i] = i == width - 1 ? (byte)rest : (byte)((rest & 0x7F) | 0x80);
        }

        _length = mark + width + written;
    }

    private void WriteCount(int count)
    {
        for (var rest = (uint)count; ; rest >>= 7)
        {
            if (rest < 0x80)
            {
                WriteByte((byte)rest);
                break;
            }

            WriteByte((byte)(rest | 0x80));
        }
    }

    private static int CountWidth(int count)
    {
        var width = 1;
        for (var rest = (uint)count; rest >= 0x80; rest >>= 7)
        {
            width++;
        }

        return width;
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
