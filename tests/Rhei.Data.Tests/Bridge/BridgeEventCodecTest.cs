using System.Text;
using RocksDbSharp;
using Rhei.Data.Bridge;
using Rhei.Data.ChangeFeed;

namespace Rhei.Data.Tests.Bridge;

/// <summary>The bridge record format: every storage class round-trips, records of the first (BinaryWriter) build still read, names are shared, damage is a clear error.</summary>
public sealed class BridgeEventCodecTest
{
    private static readonly string[] s_columns = ["id", "name", "price", "photo", "note", "größe"];

    [Fact]
    public void Every_storage_class_round_trips_through_a_record()
    {
        var longText = new string('x', 300) + "é";
        var e = new CapturedEvent(42, 1_700_000_000_123, "Bestellungen_ü", 'U', [7L, "k2"], s_columns, [7L, longText, 1.5, new byte[] { 0, 1, 255 }, null, -0.0]);
        var decoded = RoundTrip(e);

        Assert.Equal(42, decoded.Sequence);
        Assert.Equal(1_700_000_000_123, decoded.CommitTimeMs);
        Assert.Equal("Bestellungen_ü", decoded.Table);
        Assert.Equal('U', decoded.Operation);
        Assert.Equal(e.Key, decoded.Key);
        Assert.Equal(s_columns, decoded.Columns);
        Assert.Equal(e.Values, decoded.Values);
        Assert.True(double.IsNegative((double)decoded.Values![5]!), "-0.0 keeps its sign");
    }

    [Fact]
    public void A_delete_without_image_round_trips_without_columns()
    {
        var decoded = RoundTrip(new CapturedEvent(3, 5, "t", 'D', [3L], null, null));
        Assert.Null(decoded.Columns);
        Assert.Null(decoded.Values);
        Assert.Equal([3L], decoded.Key);
    }

    [Fact]
    public void A_record_in_the_first_builds_BinaryWriter_layout_decodes_to_the_same_event()
    {
        var e = new CapturedEvent(9, 123_456, "orders", 'I', [9L], s_columns, [9L, "nine", 9.5, new byte[] { 9 }, null, "x"]);
        var written = new BridgeRecordBuffer();
        Assert.Equal(FirstBuildEncode(e), BridgeEventCodec.Encode(e, written).ToArray());
        var decoded = BridgeEventCodec.Decode(e.Sequence, FirstBuildEncode(e), new BridgeNameCache());
        Assert.Equal(e.Values, decoded.Values);
        Assert.Equal(s_columns, decoded.Columns);
    }

    [Fact]
    public void Consecutive_events_of_a_table_share_names_until_its_columns_change()
    {
        var names = new BridgeNameCache();
        var buffer = new BridgeRecordBuffer();
        CapturedEvent Decode(long seq, string[] columns)
            => BridgeEventCodec.Decode(seq, BridgeEventCodec.Encode(new CapturedEvent(seq, 0, "t", 'I', [seq], columns, new object?[columns.Length]), buffer).ToArray(), names);

        var first = Decode(1, ["id", "a", "b"]);
        var second = Decode(2, ["id", "a", "b"]);
        var altered = Decode(3, ["id", "a", "c"]);
        var afterAlter = Decode(4, ["id", "a", "c"]);

        Assert.Same(first.Table, second.Table);
        Assert.Same(first.Columns, second.Columns);
        Assert.NotSame(second.Columns, altered.Columns);
        Assert.Equal(["id", "a", "c"], altered.Columns);
        Assert.Equal(["id", "a", "b"], second.Columns);
        Assert.Same(altered.Columns, afterAlter.Columns);
    }

    [Fact]
    public void A_damaged_record_in_the_bridge_log_is_a_RheiException_naming_the_directory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "rhei-bridge-codec-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            using (var log = BridgeLog.Open(directory))
            {
                log.Reset(0, 1);
                log.Append([new CapturedEvent(1, 0, "t", 'I', [1L], ["id"], [1L])], 1, 1);
            }

            using (var db = RocksDb.Open(new DbOptions(), directory))
            {
                // The record cut short after its commit time and table name.
                db.Put(BridgeEventCodec.Key(1), FirstBuildEncode(new CapturedEvent(1, 0, "t", 'I', [1L], ["id"], [1L]))[..10]);
            }

            using (var log = BridgeLog.Open(directory))
            {
                var ex = Assert.Throws<RheiException>(() => log.ReadAfter(0, long.MaxValue, 10));
                Assert.Contains($"Bridge Path '{directory}'", ex.Message, StringComparison.Ordinal);
                Assert.Contains("cannot read", ex.Message, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static CapturedEvent RoundTrip(CapturedEvent e)
        => BridgeEventCodec.Decode(e.Sequence, BridgeEventCodec.Encode(e, new BridgeRecordBuffer()).ToArray(), new BridgeNameCache());

    /// <summary>The encoder of the first bridge build, kept here as the reference of the on-disk layout.</summary>
    private static byte[] FirstBuildEncode(CapturedEvent e)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(e.CommitTimeMs);
            writer.Write(e.Table);
            writer.Write((byte)e.Operation);
            writer.Write((byte)e.Key.Length);
            foreach (var value in e.Key)
            {
                Write(writer, value);
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
                    Write(writer, e.Values[i]);
                }
            }
        }

        return stream.ToArray();
    }

    private static void Write(BinaryWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.Write((byte)0);
                break;
            case long l:
                writer.Write((byte)1);
                writer.Write(l);
                break;
            case double d:
                writer.Write((byte)2);
                writer.Write(d);
                break;
            case string s:
                writer.Write((byte)3);
                writer.Write(s);
                break;
            case byte[] b:
                writer.Write((byte)4);
                writer.Write(b.Length);
                writer.Write(b);
                break;
        }
    }
}
