namespace Rhei.Data;

/// <summary>One column of a <see cref="RheiTableSchema"/>.</summary>
public sealed class RheiColumn : IEquatable<RheiColumn>
{
    /// <summary>Creates a column.</summary>
    /// <param name="name">The column name, exactly as in SQLite.</param>
    /// <param name="declaredType">The SQLite declared type (for example <c>INTEGER</c>, <c>TEXT</c>, <c>REAL</c>, <c>BLOB</c>, <c>BOOLEAN</c>); empty for none. The mirror column type follows from it by SQLite's affinity rules.</param>
    /// <param name="isNullable">Whether the column accepts NULL.</param>
    public RheiColumn(string name, string declaredType, bool isNullable = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(declaredType);
        Name = name;
        DeclaredType = declaredType.Trim();
        IsNullable = isNullable;
    }

    /// <summary>The column name.</summary>
    public string Name { get; }

    /// <summary>The SQLite declared type.</summary>
    public string DeclaredType { get; }

    /// <summary>Whether the column accepts NULL.</summary>
    public bool IsNullable { get; }

    /// <inheritdoc />
    public bool Equals(RheiColumn? other)
        => other is not null
            && string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase)
            && string.Equals(DeclaredType, other.DeclaredType, StringComparison.OrdinalIgnoreCase)
            && IsNullable == other.IsNullable;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as RheiColumn);

    /// <inheritdoc />
    public override int GetHashCode()
        => HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(Name), StringComparer.OrdinalIgnoreCase.GetHashCode(DeclaredType), IsNullable);

    /// <inheritdoc />
    public override string ToString() => DeclaredType.Length == 0 ? Name : Name + " " + DeclaredType;
}
