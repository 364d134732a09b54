namespace Rhei.Data.Sync;

/// <summary>Equality of primary key tuples as SQLite returns them (long, double, string, byte[]).</summary>
internal sealed class RowKeyComparer : IEqualityComparer<object?[]>
{
    public static readonly RowKeyComparer Instance = new();

    public bool Equals(object?[]? x, object?[]? y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }

        if (x is null || y is null || x.Length != y.Length)
        {
            return false;
        }

        for (var i = 0; i < x.Length; i++)
        {
            if (!ValueEquals(x[i], y[i]))
            {
                return false;
            }
        }

        return true;
    }

    public int GetHashCode(object?[] obj)
    {
        var hash = new HashCode();
        foreach (var value in obj)
        {
            hash.Add(value switch
            {
                null or DBNull => 0,
                byte[] bytes => bytes.Length == 0 ? 1 : HashCode.Combine(bytes.Length, bytes[0], bytes[^1]),
                _ => value.GetHashCode(),
            });
        }

        return hash.ToHashCode();
    }

    /// <summary>Renders a key for status and error messages.</summary>
    public static string Format(object?[] key)
        => "(" + string.Join(", ", key.Select(v => v switch
        {
            null or DBNull => "NULL",
            string s => "'" + s + "'",
            byte[] b => "X'" + Convert.ToHexString(b) + "'",
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => v.ToString(),
        })) + ")";

    private static bool ValueEquals(object? a, object? b)
    {
        if (a is null or DBNull)
        {
            return b is null or DBNull;
        }

        if (a is byte[] x)
        {
            return b is byte[] y && x.AsSpan().SequenceEqual(y);
        }

        return a.Equals(b);
    }
}
