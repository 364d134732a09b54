using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using Rhei.Data.Schema;

namespace Rhei.Data.Bridge;

/// <summary>
/// Writes a temporal trigger's JSON image (<c>json_object</c> of the new row, a blob as <c>{"$b": hex}</c>) straight into a
/// bridge record's image — column name, then the value with its storage-class tag — without a value object or a string in
/// between. It takes only the shape the trigger writes: every column of the schema, in table order, each once, scalar or
/// blob values. Anything else (an image logged before the table was altered, ill-formed UTF-8, a value it does not
/// expect) is left to <see cref="Oltp.CdcImageParser"/>, which the caller then encodes: the values are the parser's either way.
/// </summary>
internal static class BridgeImageEncoder
{
    /// <summary>
    /// Writes the column count and each column's name (<paramref name="names"/>: 7-bit count and UTF-8, as the record lays
    /// a string out) and value; false, with <paramref name="buffer"/> as it was, when the image is not the trigger's shape.
    /// </summary>
    public static bool TryWrite(ReadOnlySpan<byte> json, TableSchema schema, byte[][] names, BridgeRecordBuffer buffer)
    {
        var mark = buffer.Length;
        if (!Utf8.IsValid(json) || !TryWriteValid(json, schema, names, buffer))
        {
            buffer.Truncate(mark);
            return false;
        }

        return true;
    }

    private static bool TryWriteValid(ReadOnlySpan<byte> json, TableSchema schema, byte[][] names, BridgeRecordBuffer buffer)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var columns = schema.Utf8ColumnNames;
        buffer.WriteInt32(columns.Count);
        for (var i = 0; i < columns.Count; i++)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals(columns[i]) || !reader.Read())
            {
                return false;
            }

            buffer.WriteBytes(names[i]);
            if (!TryWriteValue(ref reader, buffer))
            {
                return false;
            }
        }

        // A property after the last column (a duplicate, which the parser would let win) is not the trigger's shape.
        return reader.Read() && reader.TokenType == JsonTokenType.EndObject;
    }

    private static bool TryWriteValue(ref Utf8JsonReader reader, BridgeRecordBuffer buffer)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                buffer.WriteByte(BridgeEventCodec.TextTag);
                WriteString(ref reader, buffer);
                return true;
            case JsonTokenType.Number:
                WriteNumber(reader.ValueSpan, buffer);
                return true;
            case JsonTokenType.True or JsonTokenType.False:
                buffer.WriteByte(BridgeEventCodec.IntegerTag);
                buffer.WriteInt64(reader.TokenType == JsonTokenType.True ? 1 : 0);
                return true;
            case JsonTokenType.Null:
                buffer.WriteByte(BridgeEventCodec.NullTag);
                return true;
            case JsonTokenType.StartObject:
                return TryWriteBlob(ref reader, buffer);
            default:
                return false;
        }
    }

    private static void WriteString(ref Utf8JsonReader reader, BridgeRecordBuffer buffer)
    {
        if (!reader.ValueIsEscaped)
        {
            buffer.WriteUtf8(reader.ValueSpan);
            return;
        }

        // Unescaped text is never longer than its escaped form.
        var room = reader.ValueSpan.Length;
        var target = buffer.StartUtf8(room, out var mark);
        var written = reader.CopyString(target);
        buffer.EndUtf8(mark, room, written);
    }

    /// <summary>As the parser reads a number: an integer unless written with a fraction or exponent or out of range.</summary>
    private static void WriteNumber(ReadOnlySpan<byte> raw, BridgeRecordBuffer buffer)
    {
        if (raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0 && Utf8Parser.TryParse(raw, out long integer, out var consumed) && consumed == raw.Length)
        {
            buffer.WriteByte(BridgeEventCodec.IntegerTag);
            buffer.WriteInt64(integer);
            return;
        }

        buffer.WriteByte(BridgeEventCodec.RealTag);
        buffer.WriteInt64(BitConverter.DoubleToInt64Bits(double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture)));
    }

    /// <summary>The trigger's blob, <c>{"$b": "hex"}</c>, exactly; any other object is the parser's to read.</summary>
    private static bool TryWriteBlob(ref Utf8JsonReader reader, BridgeRecordBuffer buffer)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("$b"u8)
            || !reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
        {
            return false;
        }

        var hex = reader.ValueSpan;
        if (hex.Length % 2 != 0)
        {
            return false;
        }

        buffer.WriteByte(BridgeEventCodec.BlobTag);
        buffer.WriteInt32(hex.Length / 2);
        var bytes = buffer.Reserve(hex.Length / 2);
        for (var i = 0; i < bytes.Length; i++)
        {
            var high = HexDigit(hex[2 * i]);
            var low = HexDigit(hex[(2 * i) + 1]);
            if ((high | low) < 0)
            {
                return false;
            }

            bytes[i] = (byte)((high << 4) | low);
        }

        return reader.Read() && reader.TokenType == JsonTokenType.EndObject;
    }

    private static int HexDigit(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        _ => -1,
    };
}
