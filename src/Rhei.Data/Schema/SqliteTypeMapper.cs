namespace Rhei.Data.Schema;

/// <summary>
/// Maps a SQLite declared type to the mirror column that reproduces SQLite's answer.
/// </summary>
/// <remarks>
/// <para>
/// The first four rules are SQLite's affinity rules (section 3.1 of "Datatypes In SQLite"), applied
/// in SQLite's order: a name containing INT is INTEGER; CHAR, CLOB or TEXT is TEXT; BLOB or no type
/// is BLOB; REAL, FLOA or DOUB is REAL. Everything else has NUMERIC affinity, which can hold
/// integers, reals or text, so the mirror type there is chosen by what such columns hold in
/// practice, keeping the value SQLite returns:
/// </para>
/// <list type="bullet">
/// <item>BOOL… → BIGINT: SQLite stores booleans as the integers 0 and 1 and returns Int64.</item>
/// <item>DATE, TIME… → VARCHAR: dates are ISO-8601 text (EF Core, SQLite's date functions); text
/// that does not look like a number keeps TEXT storage under NUMERIC affinity.</item>
/// <item>DECIMAL, NUMERIC and any other name → DOUBLE: SQLite converts numeric input to INTEGER or
/// REAL; only the REAL values fit (an INTEGER would come back as a double and divide as one). EF Core declares decimal columns TEXT, so
/// they map to VARCHAR by the TEXT rule and keep every digit.</item>
/// </list>
/// <para>
/// A value the chosen column cannot hold exactly (text in a BIGINT column of a non-STRICT table,
/// an integer in a DOUBLE column…) is detected before it reaches DuckDB and quarantines
/// the table rather than being converted.
/// </para>
/// </remarks>
internal static class SqliteTypeMapper
{
    public static MirrorType Map(string declaredType)
    {
        var t = declaredType.ToUpperInvariant();
        if (t.Contains("INT", StringComparison.Ordinal))
        {
            return MirrorType.Integer;
        }

        if (t.Contains("CHAR", StringComparison.Ordinal) || t.Contains("CLOB", StringComparison.Ordinal) || t.Contains("TEXT", StringComparison.Ordinal))
        {
            return MirrorType.Text;
        }

        if (t.Length == 0 || t.Contains("BLOB", StringComparison.Ordinal))
        {
            return MirrorType.Blob;
        }

        if (t.Contains("REAL", StringComparison.Ordinal) || t.Contains("FLOA", StringComparison.Ordinal) || t.Contains("DOUB", StringComparison.Ordinal))
        {
            return MirrorType.Real;
        }

        if (t.StartsWith("BOOL", StringComparison.Ordinal))
        {
            return MirrorType.Integer;
        }

        if (t.Contains("DATE", StringComparison.Ordinal) || t.Contains("TIME", StringComparison.Ordinal) || t.Contains("GUID", StringComparison.Ordinal) || t.Contains("UUID", StringComparison.Ordinal))
        {
            return MirrorType.Text;
        }

        return MirrorType.Real;
    }

    public static string ToDuckDb(MirrorType type) => type switch
    {
        MirrorType.Integer => "BIGINT",
        MirrorType.Real => "DOUBLE",
        MirrorType.Text => "VARCHAR",
        _ => "BLOB",
    };

    /// <summary>The Arrow type name rhei's registry JSON uses for a column.</summary>
    public static string ToArrowName(string declaredType)
    {
        if (declaredType.StartsWith("BOOL", StringComparison.OrdinalIgnoreCase))
        {
            return "Boolean";
        }

        return Map(declaredType) switch
        {
            MirrorType.Integer => "Int64",
            MirrorType.Real => "Float64",
            MirrorType.Text => "Utf8",
            _ => "Binary",
        };
    }

    /// <summary>The declared type that stands for an Arrow type name from a rhei registry file.</summary>
    public static string FromArrowName(string arrowName) => arrowName switch
    {
        "Int8" or "Int16" or "Int32" or "Int64" or "UInt8" or "UInt16" or "UInt32" or "UInt64" => "INTEGER",
        "Float16" or "Float32" or "Float64" => "REAL",
        "Boolean" => "BOOLEAN",
        "Binary" or "LargeBinary" => "BLOB",
        _ => "TEXT",
    };

    /// <summary>
    /// Whether the mirror column holds <paramref name="value"/> (as Microsoft.Data.Sqlite returns it)
    /// without changing it; null is always held.
    /// </summary>
    public static bool Holds(MirrorType type, object? value) => value switch
    {
        null or DBNull => true,
        long l => Holds(type, l),
        double => type == MirrorType.Real,
        string => type == MirrorType.Text,
        byte[] => type == MirrorType.Blob,
        _ => false,
    };

    /// <summary>
    /// Whether the mirror column holds the integer as SQLite returns it. Only a BIGINT does: an INTEGER in a REAL
    /// mirror column would come back as a double (3 becomes 3.0, and 3 / 2 becomes 1.5). SQLite hands out INTEGERs
    /// from columns without REAL affinity (NUMERIC, DECIMAL…), so those quarantine rather than answer wrongly.
    /// </summary>
    public static bool Holds(MirrorType type, long value) => type == MirrorType.Integer;
}
