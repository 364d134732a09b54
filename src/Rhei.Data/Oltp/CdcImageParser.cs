using System.Globalization;
using System.Text.Json;
using Rhei.Data.Olap;
using Rhei.Data.Schema;

namespace Rhei.Data.Oltp;

/// <summary>
/// Reads the JSON image a temporal trigger logs (<c>json_object</c> of the new row; a blob as <c>{"$b": hex}</c>) into
/// the row's values, as SQLite's storage classes: integers as long, reals as double, text as string.
/// </summary>
internal static class CdcImageParser
{
    /// <summary>
    /// Reads the image straight from SQLite's UTF-8 bytes in one forward pass: building a JsonDocument from a
    /// decoded string per event was most of temporal apply's cost. The values are exactly those of
    /// <see cref="ParseImageDocument"/> (the last duplicate property wins, as TryGetProperty finds it; names match
    /// case-sensitively after unescaping), which still handles what a forward pass cannot reproduce cheaply.
    /// </summary>
    public static object?[] Parse(TableSchema schema, ReadOnlySpan<byte> utf8)
    {
        // Ill-formed UTF-8 (text SQLite stored as is) is decoded to U+FFFD by the string path; the reader would throw.
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            return ParseImageDocument(schema, System.Text.Encoding.UTF8.GetString(utf8));
        }

        var reader = new Utf8JsonReader(utf8);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return ParseImageDocument(schema, System.Text.Encoding.UTF8.GetString(utf8));
        }

        var values = new object?[schema.Columns.Count];
        var names = schema.Utf8ColumnNames;
        var next = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var column = ColumnOf(ref reader, names, next);
            reader.Read();
            if (column < 0)
            {
                reader.Skip();
                continue;
            }

            next = column + 1;
            values[column] = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Number => Number(reader.ValueSpan),
                JsonTokenType.True => 1L,
                JsonTokenType.False => 0L,
                JsonTokenType.Null => null,
                _ => Nested(ref reader, utf8),
            };
        }

        return values;
    }

    /// <summary>
    /// Writes the image as the next row of <paramref name="chunks"/>, straight from the UTF-8 bytes: the values
    /// <see cref="Parse"/> gives, without boxing them (a text value that needs no unescaping is copied as it is). False,
    /// with no row written, when a value does not fit its mirror column: then <paramref name="misfitValue"/> is that
    /// value as <see cref="Parse"/> gives it, for the quarantine's message.
    /// </summary>
    public static bool TryParseInto(TableSchema schema, ReadOnlySpan<byte> utf8, ApplyChunks chunks, out int misfitColumn, out object? misfitValue)
    {
        var types = schema.MirrorTypes;
        var reader = new Utf8JsonReader(utf8);
        if (!System.Text.Unicode.Utf8.IsValid(utf8) || !reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return TrySetBoxed(chunks, Parse(schema, utf8), out misfitColumn, out misfitValue);
        }

        chunks.BeginRow();

        // Per column whether its value (the last, when a property repeats) does not fit; a short table's flags on the stack.
        Span<bool> misfit = types.Count <= 256 ? stackalloc bool[types.Count] : new bool[types.Count];
        var names = schema.Utf8ColumnNames;
        var next = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var column = ColumnOf(ref reader, names, next);
            reader.Read();
            if (column < 0)
            {
                reader.Skip();
                continue;
            }

            next = column + 1;
            var type = types[column];
            bool fits;
            switch (reader.TokenType)
            {
                case JsonTokenType.String when type == MirrorType.Text:
                    chunks.SetText(column, reader.ValueIsEscaped ? System.Text.Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan);
                    fits = true;
                    break;
                case JsonTokenType.Number:
                    fits = SetNumber(chunks, column, type, reader.ValueSpan);
                    break;
                case JsonTokenType.True or JsonTokenType.False when type == MirrorType.Integer:
                    chunks.SetInt64(column, reader.TokenType == JsonTokenType.True ? 1 : 0);
                    fits = true;
                    break;
                case JsonTokenType.Null:
                    chunks.SetNull(column);
                    fits = true;
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    fits = chunks.TrySetValue(column, Nested(ref reader, utf8));
                    break;
                default:
                    fits = false;
                    break;
            }

            misfit[column] = !fits;
        }

        var first = misfit.IndexOf(true);
        if (first >= 0)
        {
            chunks.AbandonRow();
            misfitColumn = first;
            misfitValue = Parse(schema, utf8)[first];
            return false;
        }

        chunks.EndRow();
        misfitColumn = -1;
        misfitValue = null;
        return true;
    }

    /// <summary>Writes boxed values (an image the forward pass does not read, or no image: all NULL) as the next row.</summary>
    public static bool TrySetBoxed(ApplyChunks chunks, object?[] values, out int misfitColumn, out object? misfitValue)
    {
        chunks.BeginRow();
        for (var i = 0; i < values.Length; i++)
        {
            if (!chunks.TrySetValue(i, values[i]))
            {
                chunks.AbandonRow();
                misfitColumn = i;
                misfitValue = values[i];
                return false;
            }
        }

        chunks.EndRow();
        misfitColumn = -1;
        misfitValue = null;
        return true;
    }

    /// <summary>A number as <see cref="Number"/> reads it, written when the column holds its kind; false when it does not.</summary>
    private static bool SetNumber(ApplyChunks chunks, int column, MirrorType type, ReadOnlySpan<byte> raw)
    {
        if (raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0 && System.Buffers.Text.Utf8Parser.TryParse(raw, out long l, out var consumed) && consumed == raw.Length)
        {
            if (type != MirrorType.Integer)
            {
                return false;
            }

            chunks.SetInt64(column, l);
            return true;
        }

        if (type != MirrorType.Real)
        {
            return false;
        }

        chunks.SetDouble(column, double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture));
        return true;
    }

    /// <summary>As <see cref="FromJson"/> reads a number: an integer unless written with a fraction or exponent.</summary>
    private static object Number(ReadOnlySpan<byte> raw)
    {
        if (raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0 && System.Buffers.Text.Utf8Parser.TryParse(raw, out long l, out var consumed) && consumed == raw.Length)
        {
            return l;
        }

        return double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>An object or array value (a blob's {"$b": hex}, rarely anything else), read as the document path reads it.</summary>
    private static object? Nested(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        using var document = JsonDocument.Parse(utf8[start..(int)reader.BytesConsumed].ToArray());
        return FromJson(document.RootElement);
    }

    private static object?[] ParseImageDocument(TableSchema schema, string json)
    {
        var values = new object?[schema.Columns.Count];
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        for (var i = 0; i < values.Length; i++)
        {
            if (root.TryGetProperty(schema.Columns[i].Name, out var element))
            {
                values[i] = FromJson(element);
            }
        }

        return values;
    }

    private static object? FromJson(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                var raw = element.GetRawText();
                if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0 && element.TryGetInt64(out var l))
                {
                    return l;
                }

                return double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
            case JsonValueKind.Object when element.TryGetProperty("$b", out var hex):
                return Convert.FromHexString(hex.GetString() ?? string.Empty);
            case JsonValueKind.True:
                return 1L;
            case JsonValueKind.False:
                return 0L;
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                return null;
            default:
                return element.GetRawText();
        }
    }

    /// <summary>
    /// The column the reader's property names, or -1. json_object writes the columns in table order, so the one after
    /// the last found (<paramref name="next"/>) is tried first.
    /// </summary>
    private static int ColumnOf(ref Utf8JsonReader reader, IReadOnlyList<byte[]> names, int next)
    {
        for (var probe = 0; probe < names.Count; probe++)
        {
            var i = (next + probe) % names.Count;
            if (reader.ValueTextEquals(names[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
