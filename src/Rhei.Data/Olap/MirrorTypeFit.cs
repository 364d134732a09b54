using System.Globalization;
using Rhei.Data.Schema;

namespace Rhei.Data.Olap;

/// <summary>
/// The mirror's rule for which values it keeps exactly, and the wording of every quarantine reason. Whoever reads
/// rows for the mirror (a change source's log reader, the full loader) applies it while reading, because only the
/// reader sees rows that compaction later drops; the rule itself belongs to the mirror, so a new change source
/// quarantines on exactly the same values.
/// </summary>
internal static class MirrorTypeFit
{
    /// <summary>The first column whose value the mirror cannot keep exactly, or null when the row fits.</summary>
    public static int? FirstMisfit(TableSchema schema, object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!SqliteTypeMapper.Holds(schema.MirrorTypes[i], values[i]))
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>Why a value does not fit its mirror column.</summary>
    public static string Misfit(TableSchema schema, int column, object? value)
        => string.Create(
            CultureInfo.InvariantCulture,
            $"Column '{schema.Columns[column].Name}' (declared '{schema.Columns[column].DeclaredType}', mirrored as {SqliteTypeMapper.ToDuckDb(schema.MirrorTypes[column])}) holds a {StorageClass(value)} value the mirror cannot keep exactly.");

    /// <summary>Why a table with a NULL in its primary key cannot be mirrored.</summary>
    public static string NullKey(TableSchema schema, int keyIndex)
        => $"Primary key column '{schema.Columns[schema.KeyOrdinals[keyIndex]].Name}' holds NULL in a row (SQLite allows it in a rowid table whose key is not INTEGER PRIMARY KEY or NOT NULL); the mirror keys rows by primary key and cannot keep such rows apart.";

    private static string StorageClass(object? value) => value switch
    {
        long => "INTEGER",
        double => "REAL",
        string => "TEXT",
        byte[] => "BLOB",
        _ => "NULL",
    };
}
