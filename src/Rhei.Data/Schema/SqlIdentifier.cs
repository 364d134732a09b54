namespace Rhei.Data.Schema;

/// <summary>Validation and quoting of identifiers that end up in generated SQL.</summary>
internal static class SqlIdentifier
{
    /// <summary>Longest identifier accepted; SQLite has no limit, but names this long are mistakes.</summary>
    public const int MaxLength = 255;

    /// <summary>Throws unless <paramref name="name"/> can be quoted safely in SQLite and DuckDB.</summary>
    public static void Validate(string name, string what = "identifier")
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException($"The {what} is empty.", nameof(name));
        }

        if (name.Length > MaxLength)
        {
            throw new ArgumentException($"The {what} '{name[..32]}…' is longer than {MaxLength} characters.", nameof(name));
        }

        foreach (var c in name)
        {
            // NUL ends a C string in both engines' APIs; control characters are never intended.
            if (char.IsControl(c))
            {
                throw new ArgumentException($"The {what} '{name}' contains a control character.", nameof(name));
            }
        }
    }

    /// <summary>Quotes an identifier: <c>"x"</c>, doubling any embedded quote.</summary>
    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>
    /// Renders a name as a SQL string literal. Only for trigger bodies, which cannot take
    /// parameters; the name is validated and quotes are doubled.
    /// </summary>
    public static string Literal(string name) => "'" + name.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>Whether a table belongs to SQLite, rhei or EF Core's bookkeeping and is never replicated.</summary>
    public static bool IsSystemTable(string name)
        => name.StartsWith("_rhei_", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("__EFMigrations", StringComparison.OrdinalIgnoreCase);
}
