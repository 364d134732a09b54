namespace Rhei.Data.Schema;

/// <summary>
/// A registered table with what generated SQL needs precomputed: quoted names, mirror types and
/// key positions. Immutable; a schema change makes a new one.
/// </summary>
internal sealed class TableSchema
{
    /// <summary>Most primary key columns the change log can carry (columns k0…k7).</summary>
    public const int MaxKeyColumns = 8;

    public TableSchema(RheiTableSchema definition)
    {
        Validate(definition);
        Definition = definition;
        Name = definition.Name;
        QuotedName = SqlIdentifier.Quote(Name);
        Columns = definition.Columns;
        MirrorTypes = definition.Columns.Select(c => SqliteTypeMapper.Map(c.DeclaredType)).ToArray();
        KeyOrdinals = definition.PrimaryKey
            .Select(k => definition.Columns.ToList().FindIndex(c => string.Equals(c.Name, k, StringComparison.OrdinalIgnoreCase)))
            .ToArray();
        QuotedColumns = definition.Columns.Select(c => SqlIdentifier.Quote(c.Name)).ToArray();
        Utf8ColumnNames = definition.Columns.Select(c => System.Text.Encoding.UTF8.GetBytes(c.Name)).ToArray();
    }

    public RheiTableSchema Definition { get; }

    public string Name { get; }

    public string QuotedName { get; }

    public IReadOnlyList<RheiColumn> Columns { get; }

    public IReadOnlyList<string> QuotedColumns { get; }

    public IReadOnlyList<MirrorType> MirrorTypes { get; }

    /// <summary>The column names as UTF-8, matched against a temporal row image's property names without decoding them.</summary>
    public IReadOnlyList<byte[]> Utf8ColumnNames { get; }

    /// <summary>Positions in <see cref="Columns"/> of the primary key columns, in key order.</summary>
    public IReadOnlyList<int> KeyOrdinals { get; }

    public int ColumnIndex(string column)
        => Columns.ToList().FindIndex(c => string.Equals(c.Name, column, StringComparison.OrdinalIgnoreCase));

    public static void Validate(RheiTableSchema schema)
    {
        SqlIdentifier.Validate(schema.Name, "table name");
        if (SqlIdentifier.IsSystemTable(schema.Name))
        {
            throw new ArgumentException($"Table '{schema.Name}' is a system table and cannot be replicated.");
        }

        if (schema.Columns.Count == 0)
        {
            throw new ArgumentException($"Table '{schema.Name}' has no columns.");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var column in schema.Columns)
        {
            SqlIdentifier.Validate(column.Name, "column name");
            if (!names.Add(column.Name))
            {
                throw new ArgumentException($"Table '{schema.Name}' names column '{column.Name}' twice.");
            }

            if (column.Name.StartsWith("_rhei_", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"Table '{schema.Name}' has column '{column.Name}'; names starting with _rhei_ are reserved for the mirror.");
            }
        }

        if (schema.PrimaryKey.Count == 0)
        {
            throw new ArgumentException($"Table '{schema.Name}' has no primary key; only tables with a primary key replicate.");
        }

        if (schema.PrimaryKey.Count > MaxKeyColumns)
        {
            throw new ArgumentException($"Table '{schema.Name}' has a primary key of {schema.PrimaryKey.Count} columns; at most {MaxKeyColumns} are supported.");
        }

        foreach (var key in schema.PrimaryKey)
        {
            if (!names.Contains(key))
            {
                throw new ArgumentException($"Primary key column '{key}' is not a column of table '{schema.Name}'.");
            }
        }
    }
}
