using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Rhei.Data.Olap;

/// <summary>
/// The bytes of a <see cref="MirrorLoadBatch"/>'s longer strings and blobs, which its data chunk's string_t entries
/// point at until the chunk is appended. Blocks are pinned managed arrays (the pinned object heap never moves them),
/// so nothing native can leak; the standard blocks are kept for the batch's next use, an oversized one is dropped.
/// </summary>
internal sealed unsafe class MirrorLoadHeap
{
    private const int BlockSize = 256 * 1024;

    private readonly List<byte[]> _blocks = new();
    private readonly List<byte[]> _oversized = new();
    private int _block = -1;
    private int _used = BlockSize;

    /// <summary>Room for <paramref name="length"/> bytes, valid until <see cref="Clear"/>.</summary>
    public byte* Reserve(int length)
    {
        if (length > BlockSize)
        {
            var large = GC.AllocateUninitializedArray<byte>(length, pinned: true);
            _oversized.Add(large);
            return Address(large);
        }

        if (_used + length > BlockSize)
        {
            _block++;
            if (_block == _blocks.Count)
            {
                _blocks.Add(GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true));
            }

            _used = 0;
        }

        var bytes = Address(_blocks[_block]) + _used;
        _used += length;
        return bytes;
    }

    public void Clear()
    {
        _block = -1;
        _used = BlockSize;
        _oversized.Clear();
    }

    private static byte* Address(byte[] pinned) => (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));
}
