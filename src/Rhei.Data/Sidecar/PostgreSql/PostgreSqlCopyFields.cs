using System.Buffers.Binary;
using System.Text;
using Npgsql;

namespace Rhei.Data.Sidecar.PostgreSql;

/// <summary>
/// Reads the fields of a binary COPY tuple that follow the row's own columns (the change time, the soft-delete flag
/// and the watermark's texts a staged poll selects after the row): each a big-endian int32 length (-1: NULL) and its
/// bytes. Every read advances the span past the field it read.
/// </summary>
internal static class PostgreSqlCopyFields
{
    /// <summary>The fields after the first <paramref name="count"/>.</summary>
    public static ReadOnlySpan<byte> Skip(ReadOnlySpan<byte> fields, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Next(ref fields, out _);
        }

        return fields;
    }

    /// <summary>A bigint field; null for NULL.</summary>
    public static long? Int64(ref ReadOnlySpan<byte> fields)
        => Next(ref fields, out var value) ? BinaryPrimitives.ReadInt64BigEndian(Sized(value, 8)) : null;

    /// <summary>A boolean field; null for NULL.</summary>
    public static bool? Boolean(ref ReadOnlySpan<byte> fields)
        => Next(ref fields, out var value) ? Sized(value, 1)[0] != 0 : null;

    /// <summary>A text field (UTF-8, the client encoding Npgsql sets); null for NULL.</summary>
    public static string? Text(ref ReadOnlySpan<byte> fields)
        => Next(ref fields, out var value) ? Encoding.UTF8.GetString(value) : null;

    /// <summary>Moves past the next field; false when it is NULL.</summary>
    private static bool Next(ref ReadOnlySpan<byte> fields, out ReadOnlySpan<byte> value)
    {
        var length = BinaryPrimitives.ReadInt32BigEndian(fields);
        fields = fields[4..];
        if (length < 0)
        {
            value = default;
            return false;
        }

        value = fields[..length];
        fields = fields[length..];
        return true;
    }

    private static ReadOnlySpan<byte> Sized(ReadOnlySpan<byte> value, int size)
        => value.Length == size ? value : throw new NpgsqlException($"the COPY sent a field of {value.Length} bytes where {size} were expected");
}
