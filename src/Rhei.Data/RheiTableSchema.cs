namespace Rhei.Data;

/// <summary>
/// The shape of a replicated table: its columns and primary key. Used to register a table
/// explicitly (rhei's <c>register_table</c>); registering by name reads it from SQLite.
/// </summary>
public sealed class RheiTableSchema : IEquatable<RheiTableSchema>
{
    /// <summary>Creates a schema.</summary>
    /// <param name="name">The SQLite table name.</param>
    /// <param name="columns">The replicated columns, in order.</param>
    /// <param name="primaryKey">The primary key columns, in key order; at least one.</param>
    public RheiTableSchema(string name, IEnumerable<RheiColumn> columns, IEnumerable<string> primaryKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(primaryKey);
        Name = name;
        Columns = columns.ToArray();
        PrimaryKey = primaryKey.ToArray();
    }

    /// <summary>The table name.</summary>
    public string Name { get; }

    /// <summary>The replicated columns, in order.</summary>
    public IReadOnlyList<RheiColumn> Columns { get; }

    /// <summary>The primary key columns, in key order.</summary>
    public IReadOnlyList<string> PrimaryKey { get; }

    /// <inheritdoc />
    public bool Equals(RheiTableSchema? other)
        => other is not null
            && string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase)
            && Columns.SequenceEqual(other.Columns)
            && PrimaryKey.SequenceEqual(other.PrimaryKey, StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as RheiTableSchema);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(Name), Columns.Count, PrimaryKey.Count);

    /// <inheritdoc />
    public override string ToString()
        => $"{Name}({string.Join(", ", Columns)}; PRIMARY KEY({string.Join(", ", PrimaryKey)}))";
}
